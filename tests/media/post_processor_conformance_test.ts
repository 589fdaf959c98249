import { PROCESSORS } from "../../lib/media/registry.ts";
import { postProcessorConformance } from "../conformance/post_processor_conformance.ts";
import { itemOf, makeImage, makeVideo, makeVoice, realTools, testModel } from "./media_fixtures.ts";

const tools = await realTools();
const model = await testModel();

const FIXTURES: Record<string, Parameters<typeof postProcessorConformance>[1]> = {
  probe: { tools, options: {}, good: async (d) => itemOf(await makeVideo(d, 1), "video") },
  transcode: {
    tools,
    options: { transcode: { codec: "h264", maxHeight: 120 } },
    good: async (d) => itemOf(await makeVideo(d, 1), "video"),
  },
  optimize: {
    tools,
    options: { image: { optimize: true, engine: "ffmpeg" } },
    good: async (d) => itemOf(await makeImage(d), "photo"),
  },
  thumbnail: { tools, options: {}, good: async (d) => itemOf(await makeVideo(d, 1), "video") },
  transcribe: {
    tools,
    options: { transcribe: { model } },
    good: async (d) => itemOf(await makeVoice(d, 1), "voice"),
  },
};

for (const [name, processor] of PROCESSORS) {
  const fixture = FIXTURES[name];
  if (!fixture) throw new Error(`No conformance fixture for processor "${name}": add one here`);
  postProcessorConformance(processor, fixture);
}
