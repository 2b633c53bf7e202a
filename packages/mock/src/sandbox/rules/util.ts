/** The documented date format `yyyy-MM-dd HH:mm:ss` (UTC). */
export function centiliDateTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}
