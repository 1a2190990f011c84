// mergeProposals: pages of one site add up; a person's answer is never overwritten.
import { describe, expect, it } from 'vitest';
import { mergeProposals, proposalsOf, type MergedScan } from '../../shared/facts/merge.ts';
import type { ScanProposals } from '../../shared/facts/types.ts';

const home: ScanProposals = {
  url: 'https://x.nl/',
  answers: {
    name: [{ value: 'X', method: 'meta', confidence: 0.8, evidence: { url: 'https://x.nl/', snippet: 'og:site_name X' } }],
    emails: [{ value: 'info@x.nl', method: 'link', confidence: 0.9, evidence: { url: 'https://x.nl/', snippet: 'info@x.nl' } }],
  },
};
const contact: ScanProposals = {
  url: 'https://x.nl/contact',
  answers: {
    name: [{ value: 'X', method: 'jsonld', confidence: 0.95, evidence: { url: 'https://x.nl/contact', snippet: '"name": "X"' } }],
    phones: [{ value: { number: '+31201234567', type: 'phone' }, method: 'text', confidence: 0.88, evidence: { url: 'https://x.nl/contact', snippet: 'T 020 123 4567' } }],
    emails: [
      { value: 'INFO@x.nl', method: 'text', confidence: 0.85, evidence: { url: 'https://x.nl/contact', snippet: 'INFO@x.nl' } },
      { value: 'sales@x.nl', method: 'text', confidence: 0.85, evidence: { url: 'https://x.nl/contact', snippet: 'sales@x.nl' } },
    ],
    legalName: [{ value: 'X B.V.', method: 'text', confidence: 0.85, evidence: { url: 'https://x.nl/contact', snippet: '© X B.V.' } }],
  },
};

describe('mergeProposals', () => {
  it('adds what a page lacked, dedupes by value, keeps the best confidence first and both pages’ evidence', () => {
    const merged = mergeProposals(home, contact);
    expect(merged.url).toBe('https://x.nl/contact');
    const answers = proposalsOf(merged).answers;
    expect(answers.phones?.map((p) => p.value)).toEqual([{ number: '+31201234567', type: 'phone' }]);
    expect(answers.name).toHaveLength(1);
    expect(answers.name![0]!.confidence).toBe(0.95);
    const name = (merged.answers.name as Array<{ sources?: unknown[] }>)[0]!;
    expect(name.sources).toHaveLength(2);
    expect(answers.emails?.map((p) => p.value)).toEqual(['info@x.nl', 'sales@x.nl']);
  });

  it('never overwrites a person’s answer, manual or confirmed', () => {
    const previous: MergedScan = {
      url: 'https://x.nl/',
      answers: {
        legalName: { value: 'X Holding B.V.', method: 'manual', confirmedBy: 'anna' },
        name: { value: 'X', method: 'auto', confirmedBy: 'piet' },
      },
    };
    const merged = mergeProposals(previous, contact);
    expect(merged.answers.legalName).toEqual({ value: 'X Holding B.V.', method: 'manual', confirmedBy: 'anna' });
    expect(merged.answers.name).toEqual({ value: 'X', method: 'auto', confirmedBy: 'piet' });
    expect(proposalsOf(merged).answers.phones).toHaveLength(1);
  });

  it('merging a page twice changes nothing', () => {
    const once = mergeProposals(home, contact);
    const twice = mergeProposals(once, contact);
    expect(twice).toEqual(once);
  });

  it('starts from nothing', () => {
    expect(proposalsOf(mergeProposals(null, home)).answers.emails).toHaveLength(1);
  });
});
