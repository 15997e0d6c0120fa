/** A timestamp on the AWS JSON wire: epoch seconds, with milliseconds as the fraction. */
export const epochSeconds = (date: Date): number => date.getTime() / 1000;

/** A nullable timestamp column as an optional field: `{ [name]: seconds }` or nothing. */
export const optionalTime = (name: string, date: Date | null): Record<string, number> =>
  date === null ? {} : { [name]: epochSeconds(date) };
