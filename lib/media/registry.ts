import { optimizeImageProcessor } from "./optimize_image.ts";
import { type PostProcessor, STAGES } from "./post_processor.ts";
import { probeProcessor } from "./probe.ts";
import { thumbnailProcessor } from "./thumbnail.ts";
import { transcodeProcessor } from "./transcode.ts";
import { transcribeProcessor } from "./transcribe.ts";

/** Every built-in processor by name (yt-dlp style registry; dedup runs separately, first). */
export const PROCESSORS: ReadonlyMap<string, PostProcessor> = new Map(
  [probeProcessor, transcodeProcessor, optimizeImageProcessor, thumbnailProcessor, transcribeProcessor]
    .map((p) => [p.name, p]),
);

/**
 * The processors named, in stage order (probe -> transcode -> thumbnail -> transcribe), ties
 * kept in the order given. Throws RangeError for an unknown name, listing the known ones.
 */
export function resolveChain(
  names: readonly string[],
  registry: ReadonlyMap<string, PostProcessor> = PROCESSORS,
): PostProcessor[] {
  const chain = [...new Set(names)].map((name) => {
    const p = registry.get(name);
    if (!p) throw new RangeError(`Unknown media task "${name}"; known: ${[...registry.keys()].join(", ")}`);
    return p;
  });
  return chain.sort((a, b) => STAGES.indexOf(a.stage) - STAGES.indexOf(b.stage));
}
