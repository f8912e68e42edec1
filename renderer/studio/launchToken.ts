/**
 * @file The web-mode launch token: read once from the page address (`?token=...`), kept in
 * memory only, and removed from the address bar so it does not linger in history or screenshots.
 */

export function takeLaunchToken(location: Location, history: History): string | null {
  const params = new URLSearchParams(location.search);
  const token = params.get('token');
  if (token === null) return null;
  params.delete('token');
  const query = params.toString();
  history.replaceState(history.state, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
  return token || null;
}
