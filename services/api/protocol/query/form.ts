/**
 * The AWS query protocol's request encoding: a flat form
 * (`Targets.member.1.Id=i-1&Targets.member.1.Port=80&Tags.entry.1.key=k`)
 * to and from a nested object. Lists are `X.member.N` (N from 1), maps
 * `X.entry.N.key` / `X.entry.N.value`; every leaf stays a string (the
 * action's schema coerces it).
 */

export type QueryValue = string | QueryValue[] | { [key: string]: QueryValue };
export type QueryObject = { [key: string]: QueryValue };

/** The form body's parameters, in order (later duplicates win). */
export const parseForm = (body: string): [string, string][] => [...new URLSearchParams(body)];

type Tree = { [key: string]: Tree | string };

const INDEX = /^[1-9]\d*$/;

/**
 * Hard caps on a form's shape, so a malformed request cannot make the server
 * do unbounded work: AWS's deepest parameter name
 * (`MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name`)
 * has 8 segments, its longest list 1,000 members.
 */
export const MAX_PARAMETER_SEGMENTS = 32;
export const MAX_LIST_MEMBERS = 1000;

/** A request parameter name (its path segments) that cannot nest: `a=1&a.b=2`. */
export class QueryParameterError extends Error {
  override readonly name = "QueryParameterError";
}

const isTree = (v: Tree | string | undefined): v is Tree => typeof v === "object";

const indexed = (tree: Tree): [number, Tree | string][] | undefined => {
  const keys = Object.keys(tree);
  if (!keys.every((k) => INDEX.test(k))) return undefined;
  return keys
    .map((k) => [Number(k), tree[k]!] as [number, Tree | string])
    .sort((a, b) => a[0] - b[0]);
};

const convert = (node: Tree | string, path: string): QueryValue => {
  if (!isTree(node)) return node;
  const keys = Object.keys(node);
  if (keys.length === 1 && keys[0] === "member" && isTree(node.member)) {
    const items = indexed(node.member);
    if (items && items.length > MAX_LIST_MEMBERS) {
      throw new QueryParameterError(
        `${path} has ${items.length} members; at most ${MAX_LIST_MEMBERS} are accepted.`,
      );
    }
    if (items) return items.map(([n, v]) => convert(v, `${path}.member.${n}`));
  }
  if (keys.length === 1 && keys[0] === "entry" && isTree(node.entry)) {
    const items = indexed(node.entry);
    if (items && items.length > MAX_LIST_MEMBERS) {
      throw new QueryParameterError(
        `${path} has ${items.length} entries; at most ${MAX_LIST_MEMBERS} are accepted.`,
      );
    }
    if (items) {
      const map: QueryObject = {};
      for (const [n, entry] of items) {
        const key = isTree(entry) ? entry.key : undefined;
        const value = isTree(entry) ? entry.value : undefined;
        if (typeof key !== "string") {
          throw new QueryParameterError(`${path}.entry.${n}.key is missing.`);
        }
        map[key] = value === undefined ? "" : convert(value, `${path}.entry.${n}.value`);
      }
      return map;
    }
  }
  const out: QueryObject = {};
  for (const k of keys) out[k] = convert(node[k]!, path ? `${path}.${k}` : k);
  return out;
};

/** Flat parameters → a nested object (lists as arrays, maps as objects). */
export const nestParams = (params: Iterable<readonly [string, string]>): QueryObject => {
  const root: Tree = {};
  for (const [name, value] of params) {
    const segments = name.split(".");
    if (segments.length > MAX_PARAMETER_SEGMENTS) {
      throw new QueryParameterError(
        `The parameter name '${name.slice(0, 64)}…' nests deeper than ${MAX_PARAMETER_SEGMENTS} levels.`,
      );
    }
    let node = root;
    segments.forEach((segment, i) => {
      if (segment === "" || segment === "__proto__") {
        throw new QueryParameterError(`The parameter name '${name}' is not valid.`);
      }
      const last = i === segments.length - 1;
      const existing = node[segment];
      if (last) {
        if (isTree(existing)) {
          throw new QueryParameterError(
            `The parameter '${name}' is given both as a value and a structure.`,
          );
        }
        node[segment] = value;
        return;
      }
      if (existing === undefined) node = node[segment] = {};
      else if (isTree(existing)) node = existing;
      else {
        throw new QueryParameterError(
          `The parameter '${segments.slice(0, i + 1).join(".")}' is given both as a value and a structure.`,
        );
      }
    });
  }
  return convert(root, "") as QueryObject;
};

/**
 * A nested object → flat parameters, as an SDK would send it: arrays become
 * `X.member.N`; an empty list is `X=` (the query protocol's empty list).
 */
export const flattenParams = (value: QueryObject): [string, string][] => {
  const out: [string, string][] = [];
  const walk = (v: QueryValue, path: string): void => {
    if (typeof v === "string") out.push([path, v]);
    else if (Array.isArray(v)) {
      if (v.length === 0) out.push([path, ""]);
      v.forEach((item, i) => walk(item, `${path}.member.${i + 1}`));
    } else for (const [k, child] of Object.entries(v)) walk(child, path ? `${path}.${k}` : k);
  };
  walk(value, "");
  return out;
};

export const encodeForm = (params: readonly (readonly [string, string])[]): string =>
  new URLSearchParams(params.map(([k, v]): [string, string] => [k, v])).toString();
