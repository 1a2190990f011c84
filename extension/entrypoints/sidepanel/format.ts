// Plain-text rendering of proposal values (addresses, phones, registrations …) for the side panel.
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(formatValue).join('\n');
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if ('street' in record || 'postalCode' in record) {
      const { street, postalCode, locality, country, role } = record as Record<string, string>;
      return [street, [postalCode, locality].filter(Boolean).join(' '), country].filter(Boolean).join(', ') + (role ? ` (${role})` : '');
    }
    if ('scheme' in record && 'value' in record) return `${String(record.scheme)} ${String(record.value)}`;
    if ('number' in record) return `${String(record.number)}${record.type && record.type !== 'phone' ? ` (${String(record.type)})` : ''}`;
    if ('name' in record) return String(record.name);
    if ('url' in record) return `${record.title ? `${String(record.title)} — ` : ''}${String(record.url)}${record.year ? ` (${String(record.year)})` : ''}`;
    return JSON.stringify(value);
  }
  return String(value);
}
