/** The QR code of a login URL for the terminal (`tgpipe login --qr`), with what to do with it. */
import { renderUnicodeCompact } from "uqr";

/** The QR block (two modules per character line), how to scan it, and the URL itself. */
export function renderLoginQr(url: string, expires: number): string {
  const until = new Date(expires * 1000).toISOString().slice(11, 19);
  return `${renderUnicodeCompact(url, { border: 2 })}\n` +
    "Scan it in a Telegram app where you are logged in: Settings → Devices → Link Desktop Device\n" +
    `(valid until ${until} UTC; a new code follows) ${url}\n`;
}
