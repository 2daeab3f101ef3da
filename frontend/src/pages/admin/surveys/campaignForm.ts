/** A campaign's dates as an `<input type="datetime-local">` holds them (the browser's local time), and back. */
export function localInput(iso: string | null | undefined): string {
  if (!iso) return "";
  const moment = new Date(iso);
  const local = new Date(moment.getTime() - moment.getTimezoneOffset() * 60000);
  return local.toISOString().slice(0, 16);
}

/** The local moment typed as an instant with its zone (the API refuses a moment without one); empty is null. */
export function instantOf(local: string): string | null {
  if (!local) return null;
  const moment = new Date(local);
  return Number.isNaN(moment.getTime()) ? local : moment.toISOString();
}

/** Where the public link opens, on this site. */
export function publicLink(token: string, origin: string = window.location.origin): string {
  return `${origin}/enquete/${token}`;
}
