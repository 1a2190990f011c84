// Turns the date strings pages carry (ISO, RFC 2822, "5 maart 2024", "March 5, 2024") into
// ISO 8601, so clips sort and compare by date whatever the site's language.

const MONTHS: Record<string, number> = {};
const MONTH_NAMES = [
  // en, nl, de, fr (accents stripped before lookup); index 0 = January
  ['january', 'jan', 'januari', 'januar', 'janvier', 'janv', 'jän', 'jaen'],
  ['february', 'feb', 'februari', 'februar', 'fevrier', 'fevr', 'fev'],
  ['march', 'mar', 'maart', 'mrt', 'marz', 'maerz', 'mars'],
  ['april', 'apr', 'avril', 'avr'],
  ['may', 'mei', 'mai'],
  ['june', 'jun', 'juni', 'juin'],
  ['july', 'jul', 'juli', 'juillet', 'juil'],
  ['august', 'aug', 'augustus', 'aout'],
  ['september', 'sep', 'sept', 'septembre'],
  ['october', 'oct', 'oktober', 'okt', 'octobre'],
  ['november', 'nov', 'novembre'],
  ['december', 'dec', 'dezember', 'dez', 'decembre'],
];
for (const [index, names] of MONTH_NAMES.entries()) for (const name of names) MONTHS[name] = index + 1;

const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** ISO 8601 for a date string, or '' when it is not a plausible date. */
export function toIsoDate(raw: string | null | undefined): string {
  const value = (raw ?? '').trim();
  if (value === '' || value.length > 100) return '';
  if (ISO.test(value)) {
    const iso = value.replace(' ', 'T');
    return plausible(Date.parse(iso)) ? iso : '';
  }
  const named = parseNamedMonth(value);
  if (named) return named;
  // Numeric day-first dates (05-03-2024, 5.3.2024) as written in nl/de/fr.
  const dmy = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})\b/.exec(value);
  if (dmy) return ymd(Number(dmy[3]), Number(dmy[2]), Number(dmy[1]));
  if (/^\d{10,13}$/.test(value)) {
    const ms = value.length === 13 ? Number(value) : Number(value) * 1000;
    return plausible(ms) ? new Date(ms).toISOString() : '';
  }
  const parsed = Date.parse(value);
  return plausible(parsed) ? new Date(parsed).toISOString() : '';
}

function parseNamedMonth(value: string): string {
  const text = value.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  // "5 maart 2024", "5. März 2024", "le 5 mars 2024"
  const dayFirst = /(\d{1,2})(?:st|nd|rd|th|er|e)?\.?\s+([a-z]{3,10})\.?,?\s+(\d{4})/.exec(text);
  if (dayFirst) {
    const month = MONTHS[dayFirst[2] as string];
    if (month) return withTime(ymd(Number(dayFirst[3]), month, Number(dayFirst[1])), text);
  }
  // "March 5, 2024", "Mar. 5 2024"
  const monthFirst = /([a-z]{3,10})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})/.exec(text);
  if (monthFirst) {
    const month = MONTHS[monthFirst[1] as string];
    if (month) return withTime(ymd(Number(monthFirst[3]), month, Number(monthFirst[2])), text);
  }
  return '';
}

/** Adds a HH:MM time when the text states one next to the date (local time, no zone known). */
function withTime(date: string, text: string): string {
  if (date === '') return '';
  const time = /\b(\d{1,2})[:.h](\d{2})\b/.exec(text.replace(/\d{4}/, ''));
  if (!time) return date;
  const hours = Number(time[1]);
  const minutes = Number(time[2]);
  if (hours > 23 || minutes > 59) return date;
  return `${date}T${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

function ymd(year: number, month: number, day: number): string {
  if (month < 1 || month > 12 || day < 1 || day > 31 || year < 1900 || year > 2200) return '';
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function plausible(ms: number): boolean {
  if (!Number.isFinite(ms)) return false;
  const year = new Date(ms).getUTCFullYear();
  return year >= 1900 && year <= 2200;
}
