import type { QueryErrors } from "./errors.js";

export interface Token {
  readonly kind: "word" | "string" | "punct";
  readonly text: string;
  readonly at: number;
}

/** The characters of a bare word (values, subjects, keywords). */
export const WORD_CHAR = /[A-Za-z0-9._\-:/\\@*^$+?{}]/;
export const BARE_WORD = /^[A-Za-z0-9._\-:/\\@*^$+?{}]+$/;

/** Longest first where one is a prefix of another. */
const PUNCT = [
  "==",
  "!=",
  "=~",
  "!~",
  ">=",
  "<=",
  "&&",
  "||",
  ">",
  "<",
  "(",
  ")",
  "[",
  "]",
  ",",
  "!",
] as const;

export const tokenize = (text: string, errors: QueryErrors): Token[] => {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "'" || ch === '"') {
      const end = text.indexOf(ch, i + 1);
      if (end === -1) throw errors.invalid(`unterminated string at position ${i}.`);
      tokens.push({ kind: "string", text: text.slice(i + 1, end), at: i });
      i = end + 1;
      continue;
    }
    const punct = PUNCT.find((p) => text.startsWith(p, i));
    if (punct) {
      tokens.push({ kind: "punct", text: punct, at: i });
      i += punct.length;
      continue;
    }
    if (!WORD_CHAR.test(ch)) throw errors.invalid(`unexpected character '${ch}' at position ${i}.`);
    const start = i;
    while (i < text.length && WORD_CHAR.test(text[i]!)) i++;
    tokens.push({ kind: "word", text: text.slice(start, i), at: start });
  }
  return tokens;
};
