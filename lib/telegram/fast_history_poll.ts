/**
 * Polls for fast_history.ts: a MessageMediaPoll read straight into the model, as map_media.ts's
 * _poll maps GramJS's (answers matched to their results by option bytes).
 */
import { Api } from "telegram";
import type { Poll } from "../core/message.ts";
import { expectCtor, type TlCursor, TlFields } from "./tl_cursor.ts";
import { needPlan, type TlPlan } from "./tl_schema.ts";

interface _Plans {
  media: TlPlan;
  poll: TlPlan;
  answer: TlPlan;
  results: TlPlan;
  voters: TlPlan;
  text: TlPlan;
}

let _plans: _Plans | undefined;

/** The poll constructors' plans; throws when GramJS's schema moved. */
export function pollPlans(): _Plans {
  return _plans ??= {
    media: needPlan(Api.MessageMediaPoll, ["poll:Poll", "results:PollResults"]),
    poll: needPlan(Api.Poll, [
      "closed:true",
      "multipleChoice:true",
      "quiz:true",
      "question:TextWithEntities",
      "answers:Vector<PollAnswer>",
    ]),
    answer: needPlan(Api.PollAnswer, ["text:TextWithEntities", "option:bytes"]),
    results: needPlan(Api.PollResults, ["results:Vector<PollAnswerVoters>", "totalVoters:int"]),
    voters: needPlan(Api.PollAnswerVoters, ["chosen:true", "correct:true", "option:bytes", "voters:int"]),
    text: needPlan(Api.TextWithEntities, ["text:string"]),
  };
}

/** Reads the fields of a MessageMediaPoll (its constructor id already read). */
export function readPoll(c: TlCursor): Poll {
  const plans = pollPlans();
  let closed = false, multiple = false, quiz = false, question = "";
  const answers: Array<{ text: string; option: string }> = [];
  const voters = new Map<string, { chosen: boolean; correct: boolean; voters: number }>();
  let total: number | null = null;
  const m = new TlFields(c, plans.media);
  for (let code = m.next(); code !== 0; code = m.next()) {
    if (code === 1) {
      const f = expectCtor(c, plans.poll);
      for (let k = f.next(); k !== 0; k = f.next()) {
        if (k === 1) closed = true;
        else if (k === 2) multiple = true;
        else if (k === 3) quiz = true;
        else if (k === 4) question = _text(c, plans);
        else for (let n = c.vector(); n > 0; n--) answers.push(_answer(c, plans));
      }
    } else {
      const f = expectCtor(c, plans.results);
      for (let k = f.next(); k !== 0; k = f.next()) {
        if (k === 2) total = c.int();
        else for (let n = c.vector(); n > 0; n--) _voters(c, plans, voters);
      }
    }
  }
  const poll: Poll = {
    question,
    answers: answers.map((a) => {
      const r = voters.get(a.option);
      const out: Poll["answers"][number] = { text: a.text };
      if (r) {
        out.voters = r.voters;
        if (r.chosen) out.chosen = true;
        if (r.correct) out.correct = true;
      }
      return out;
    }),
  };
  // absent when the results are not known
  if (total !== null) poll.total_voters = total;
  if (closed) poll.closed = true;
  if (quiz) poll.quiz = true;
  if (multiple) poll.multiple_choice = true;
  return poll;
}

function _text(c: TlCursor, plans: _Plans): string {
  const f = expectCtor(c, plans.text);
  let text = "";
  for (let k = f.next(); k !== 0; k = f.next()) text = c.string();
  return text;
}

function _answer(c: TlCursor, plans: _Plans): { text: string; option: string } {
  const f = expectCtor(c, plans.answer);
  const a = { text: "", option: "" };
  for (let k = f.next(); k !== 0; k = f.next()) {
    if (k === 1) a.text = _text(c, plans);
    else a.option = c.bytesHex();
  }
  return a;
}

function _voters(
  c: TlCursor,
  plans: _Plans,
  into: Map<string, { chosen: boolean; correct: boolean; voters: number }>,
): void {
  const f = expectCtor(c, plans.voters);
  const v = { chosen: false, correct: false, voters: 0 };
  let option = "";
  for (let k = f.next(); k !== 0; k = f.next()) {
    if (k === 1) v.chosen = true;
    else if (k === 2) v.correct = true;
    else if (k === 3) option = c.bytesHex();
    else v.voters = c.int();
  }
  // as map_media.ts's Map: a repeated option keeps the last results
  into.set(option, v);
}
