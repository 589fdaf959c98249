# Telethon (Debian python3-telethon 1.25.1, layer 144) as a user talking to a bot on the fake DC:
# sends a text, waits for the bot's inline keyboard, presses the first button
# (messages.getBotCallbackAnswer), waits for the bot's edit of that message.
# Usage: /usr/bin/python3 telethon_bot_user.py '<json config>'
# Config: {"pem", "fingerprint", "session": StringSession, "bot": {"id", "access_hash"}, "text"}
# Prints one JSON object per step on stdout; exits 1 with {"error": ...} on failure.
import asyncio
import json
import sys

from telethon import TelegramClient, events, functions, types
from telethon.crypto import rsa
from telethon.network import ConnectionTcpIntermediate
from telethon.sessions import StringSession

WAIT_S = 60


def out(**kw):
    print(json.dumps(kw), flush=True)


async def main(cfg):
    rsa.add_key(cfg["pem"], old=False)
    client = TelegramClient(
        StringSession(cfg["session"]), 17349, "344583e45741c457fe1862106095a5eb",
        connection=ConnectionTcpIntermediate, connection_retries=1, auto_reconnect=False,
    )
    seen = asyncio.Queue()
    client.add_event_handler(lambda e: seen.put_nowait(("new", e.message)), events.NewMessage(incoming=True))
    client.add_event_handler(lambda e: seen.put_nowait(("edit", e.message)), events.MessageEdited())

    async def wait(step, pred):
        async def loop():
            while True:
                kind, msg = await seen.get()
                if pred(kind, msg):
                    return msg
        try:
            return await asyncio.wait_for(loop(), WAIT_S)
        except asyncio.TimeoutError:
            raise RuntimeError("timed out at step " + step)

    await client.connect()
    try:
        me = await client.get_me()
        out(step="connect", id=me.id)
        bot = types.InputPeerUser(int(cfg["bot"]["id"]), int(cfg["bot"]["access_hash"]))
        await client.send_message(bot, cfg["text"])
        kb = await wait("keyboard", lambda k, m: k == "new" and m.reply_markup is not None)
        button = kb.reply_markup.rows[0].buttons[0]
        out(step="keyboard", text=kb.message, button=button.text)
        ans = await client(functions.messages.GetBotCallbackAnswerRequest(peer=bot, msg_id=kb.id, data=button.data))
        out(step="answer", message=ans.message)
        ed = await wait("edit", lambda k, m: k == "edit" and m.id == kb.id)
        out(step="edited", text=ed.message)
    finally:
        await client.disconnect()


try:
    asyncio.run(main(json.loads(sys.argv[1])))
except Exception as e:  # report, do not print a traceback with session data
    out(error="%s: %s" % (type(e).__name__, e))
    sys.exit(1)
