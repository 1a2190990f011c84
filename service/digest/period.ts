// Digest periods as keys: a daily digest goes out at most once per UTC day, a weekly one at most
// once per ISO week (Monday to Sunday, UTC). The key is part of the digest_sends primary key.
import type { DigestFrequency } from '../activity/settings.ts';

export function periodKey(frequency: Exclude<DigestFrequency, 'off'>, now: Date): string {
  if (frequency === 'daily') return `day:${now.toISOString().slice(0, 10)}`;
  // ISO 8601 week: the week with the year's first Thursday is week 1.
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `week:${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}
