import type { CliIo } from "../command.js";

/** ANSI: to the start of the line `n` lines up, then clear to the end of the screen. */
export const redrawPrefix = (linesDrawn: number): string =>
  linesDrawn > 0 ? `\x1b[${linesDrawn}F\x1b[J` : "";

/** Cuts a line to the terminal's width so that one line takes one row. */
export const fitLine = (line: string, columns: number | undefined): string =>
  columns !== undefined && columns > 1 && line.length > columns - 1
    ? `${line.slice(0, columns - 2)}…`
    : line;

/**
 * A block of lines drawn in place on a terminal: each draw replaces the last.
 * `finish` leaves the last block on screen.
 */
export const liveView = (io: CliIo) => {
  let drawn = 0;
  return {
    draw(lines: readonly string[]): void {
      const fitted = lines.map((l) => fitLine(l, io.columns));
      io.out(`${redrawPrefix(drawn)}${fitted.join("\n")}`);
      drawn = fitted.length;
    },
  };
};
