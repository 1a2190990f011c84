// Whether a name found on a page plausibly names the site's own company: compared with the
// registrable domain's label ("petersvanderweele" ~ "Peters & Van der Weele advocaten").

export function squash(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function domainLabel(domain: string): string {
  return squash(domain.split('.')[0] ?? '');
}

export function resemblesDomain(name: string, domain: string): boolean {
  const label = domainLabel(domain);
  const whole = squash(name);
  if (!label || !whole) return false;
  if (whole.includes(label) || (whole.length >= 4 && label.includes(whole))) return true;
  const tokens = name.split(/[\s&,.+/-]+/).map(squash).filter((t) => t.length >= 4 && !/^(?:the|van|der|den|und|and|group|groep|holding|company|bv|nv|gmbh|ltd|inc)$/.test(t));
  if (tokens.some((t) => label.includes(t))) return true;
  // Initials: "MDP Woodworks & Design" ~ "mdpwoodworks"; "De Klerk Parket" ~ "deklerkparket".
  // A legal form is no part of the initials: "Associated Production Tools Ltd" ~ "shop-apt".
  const words = name.replace(/,?\s+(?:Ltd\.?|Limited|Inc\.?|LLC|LLP|PLC|B\.?V\.?|N\.?V\.?|GmbH|Corp\.?|Company)$/i, '').split(/\s+/);
  const initials = words.map((w) => squash(w)[0] ?? '').join('');
  return initials.length >= 3 && (label.startsWith(initials) || label.endsWith(initials));
}
