/** One entry of the error catalog: the HTTP status it maps to and what it means. */
export interface ErrorSpec {
  readonly status: number;
  readonly description: string;
}
