// Types for the parts of citation-js (no bundled types) that service/export/citations.ts uses.
declare module '@citation-js/core' {
  export class Cite {
    constructor(data: unknown, options?: Record<string, unknown>);
    data: Array<Record<string, unknown>>;
    format(format: string, options?: Record<string, unknown>): string | Array<Record<string, unknown>>;
  }
  export const plugins: { config: { get(name: string): Record<string, unknown> } };
}
declare module '@citation-js/plugin-ris';
declare module '@citation-js/plugin-bibtex';
declare module '@citation-js/name' {
  export function parse(name: string): Record<string, string>;
}
declare module '@citation-js/date' {
  export function parse(date: string): { 'date-parts'?: number[][]; raw?: string } | undefined;
  export function format(date: { 'date-parts': number[][] }, delimiter?: string): string;
}
