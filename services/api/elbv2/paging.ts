import { decodeToken, encodeToken } from "../ecs/pagination.js";

/** A page of rows fetched with `limit + 1`: the rows to show and the next Marker. */
export const page = <Row>(
  rows: readonly Row[],
  limit: number,
  keyOf: (row: Row) => string,
): { rows: Row[]; nextMarker?: string } => {
  if (rows.length <= limit) return { rows: [...rows] };
  const shown = rows.slice(0, limit);
  return { rows: shown, nextMarker: encodeToken([keyOf(shown[shown.length - 1]!)]) };
};

/** The key after which a page starts. */
export const afterMarker = (marker: string | undefined): string | undefined => {
  const key = decodeToken(marker, ["string"]);
  return key === undefined ? undefined : (key[0] as string);
};

export const DEFAULT_ELB_PAGE_SIZE = 400;
