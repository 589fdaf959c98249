# Telethon's send_file looping over files to Saved Messages (what the streaming uploaders built on
# Telethon do), pointed at the fake DC. Usage:
#   /usr/bin/python3 telethon_upload.py '<json config>'
# Config: {"pem", "fingerprint", "session" (StringSession), "files": [paths]}.
# Prints {"files", "bytes", "ms"}; exits 1 with {"error"} on failure.
import json
import os
import time

from _telethon_peer import connect, run


async def main(cfg):
    client = await connect(cfg)
    try:
        t = time.perf_counter()
        total = 0
        for path in cfg["files"]:
            await client.send_file("me", path, force_document=True)
            total += os.path.getsize(path)
        print(json.dumps({"files": len(cfg["files"]), "bytes": total,
                          "ms": round((time.perf_counter() - t) * 1000)}))
    finally:
        await client.disconnect()


run(main)
