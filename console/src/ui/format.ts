// Display only: amounts stay decimal strings from the API and are grouped for reading, never recomputed.
export const money = (amount: string | undefined, currency?: string): string => {
  if (amount === undefined) return '';
  const [whole = '0', fraction] = amount.split('.');
  const sign = whole.startsWith('-') ? '-' : '';
  const digits = sign ? whole.slice(1) : whole;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}${fraction !== undefined ? `.${fraction}` : ''}${currency ? ` ${currency}` : ''}`;
};

export const dateTime = (iso: string): string => iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');

/** "3 h 20 min" since an ISO time. */
export const age = (iso: string, now: number = Date.now()): string => {
  const minutes = Math.max(0, Math.floor((now - Date.parse(iso)) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} days`;
};

export const today = (): string => new Date().toISOString().slice(0, 10);
export const daysBefore = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

/** Who acted: the person, with the agency they acted for, or the subject alone (`anna (FOOD_SAFETY)`). */
export const who = (by: string | undefined, person?: string): string =>
  person ? `${person} (${by ?? ''})` : (by ?? '');
