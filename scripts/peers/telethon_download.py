# Telethon's download_media looping over messages (the engine of telegram_media_downloader,
# tg-archive and tobs), pointed at the fake DC. Usage:
#   /usr/bin/python3 telethon_download.py '<json config>'
# Config: {"pem", "fingerprint", "session" (StringSession), "chat", "ids": [msg ids], "out"}.
# Prints {"files", "bytes", "ms"}; exits 1 with {"error"} on failure.
import json
import os
import time

from _telethon_peer import connect, run


async def main(cfg):
    client = await connect(cfg)
    try:
        t = time.perf_counter()
        files = 0
        total = 0
        ids = cfg["ids"]
        for i in range(0, len(ids), 100):
            for m in await client.get_messages(cfg["chat"], ids=ids[i:i + 100]):
                if m is None or m.media is None:
                    continue
                path = await client.download_media(m, file=os.path.join(cfg["out"], str(m.id)))
                files += 1
                total += os.path.getsize(path)
        print(json.dumps({"files": files, "bytes": total, "ms": round((time.perf_counter() - t) * 1000)}))
    finally:
        await client.disconnect()


run(main)
