import { pickAccount } from "./pick_account.ts";
import type { UploadItemContext } from "./prepare_file.ts";
import { progressInto } from "./progress_into.ts";
import type { UploadDiagnostics } from "./upload_report.ts";

/**
 * The context a split file's pieces are sent with: never deleted nor split again, their progress
 * reported as the original's, their records in `diag`, and one account whose limit takes a piece
 * of `limit` bytes sends them all (one chat for --to me) unless an earlier attempt recorded a
 * piece's send with another one.
 */
export async function pieceContext(
  c: UploadItemContext,
  id: string,
  o: { limit: number; size: number | undefined; diag: UploadDiagnostics },
): Promise<UploadItemContext> {
  const { account } = await pickAccount(c.accounts, [o.limit], c.signal);
  return {
    ...c,
    accounts: [account, ...c.accounts.filter((a) => a !== account)],
    deleteAfter: false,
    split: false,
    emit: progressInto(id, (e) => e.startsWith(`${id}#`), o.size, c.emit),
    diag: o.diag,
  };
}
