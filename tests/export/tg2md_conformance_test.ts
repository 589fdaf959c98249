/**
 * Import conformance on the tg2md sample: our notes carry the same content as tg2md's expected
 * Jekyll posts (same words, same link targets, same media files), though not the same layout.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { importTdesktop } from "../../lib/app/import/import_tdesktop.ts";
import { MEDIA_KINDS } from "../../lib/core/message.ts";

const SAMPLE = new URL("../../../shared/data/tdesktop/tg2md/", import.meta.url).pathname;

interface Content {
  words: string[];
  links: string[];
  media: string[];
}

function _expected(post: string): Content {
  let body = post.replace(/^---\n[\s\S]*?\n---\n/, "");
  const media: string[] = [];
  body = body.replace(/!\[[^\]]*\]\(([^)]+)\)/g, (_, src) => (media.push(_base(src)), " "));
  body = body.replace(/<source src="([^"]+)"[^>]*>/g, (_, src) => (media.push(_base(src)), " "));
  const links: string[] = [];
  body = body.replace(/\[([^\]]*)\]\(([^)]+)\)/g, (_, text, url) => (links.push(_url(url)), ` ${text} `));
  body = body.replace(/<([^>\s]+[.@][^>\s]+)>/g, (_, url) => (links.push(_url(url)), ` ${url} `));
  return { words: _words(body.replace(/<[^>]+>/g, " ")), links, media };
}

function _ours(note: string): Content {
  let body = note.replace(/^---\n[\s\S]*?\n---\n/, "");
  const media: string[] = [];
  body = body.replace(/!\[\[([^\]]+)\]\]/g, (_, src) => (media.push(_base(src).replace(/^\d+-/, "")), " "));
  const links: string[] = [];
  body = body.replace(/\[([^\]]*)\]\(([^)]+)\)/g, (_, text, url) => (links.push(_url(url)), ` ${text} `));
  return { words: _words(body.replace(/<[^>]+>/g, " ").replace(/\\(.)/g, "$1")), links, media };
}

const _base = (p: string) => p.split("/").at(-1)!;
const _url = (u: string) => u.replace(/^(https?:\/\/|mailto:)/, "").replace(/\/$/, "");
const _words = (s: string) =>
  s.split(/[^\p{L}\p{N}@.]+/u).map((w) => w.replace(/^\.+|\.+$/g, "")).filter(Boolean);

Deno.test("tg2md conformance: every expected post's content is in our note", async () => {
  const out = await Deno.makeTempDir();
  try {
    const res = await importTdesktop(SAMPLE, {
      out,
      layout: "message",
      mediaKinds: new Set(MEDIA_KINDS),
      emit: () => {},
    });
    assert.equal(res.messages, 19);
    const posts = [...Deno.readDirSync(join(SAMPLE, "expected_jekyll_posts"))].map((e) => e.name).sort();
    assert.equal(posts.length, 12);
    for (const name of posts) {
      const id = Number(/-(\d+)\.md$/.exec(name)![1]);
      const expected = _expected(await Deno.readTextFile(join(SAMPLE, "expected_jekyll_posts", name)));
      const ours = _ours(await Deno.readTextFile(join(out, "chats/1292077344/notes", `${id}.md`)));
      // Our note adds "↩️"-style context only when the message has it; tg2md posts carry none here.
      assert.deepEqual(ours.words, expected.words, `words of ${name}`);
      assert.deepEqual(ours.links, expected.links, `links of ${name}`);
      assert.deepEqual(ours.media, expected.media, `media of ${name}`);
      for (const m of ours.media) {
        const st = await Deno.stat(join(out, "chats/1292077344/media", `${id}-${m}`));
        assert.ok(st.isFile && st.size > 0);
      }
    }
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
