import { describe, expect, it } from "vitest";
import { planReminders, type PlannedMessage } from "../../src/reminders/message.ts";
import { ReminderSettings, parseItemKey, type ReminderState } from "../../src/reminders/planner.ts";
import {
  assignment,
  at,
  binding,
  calendar,
  conditional,
  continuous,
  COORD,
  dated,
  days,
  delivered,
  state,
  task,
  unknownDeadline,
} from "./fixtures.ts";

const settings = ReminderSettings.parse({});
const plan = (st: ReminderState, day: string, time = "08:00") => planReminders(st, settings, calendar, at(day, time));

/** Run the planner on every day in [from, to], recording each planned message as delivered. */
function simulate(st: ReminderState, from: string, to: string): Map<string, PlannedMessage[]> {
  const out = new Map<string, PlannedMessage[]>();
  let sendLog = [...st.sendLog];
  for (const day of days(from, to)) {
    const messages = planReminders({ ...st, sendLog }, settings, calendar, at(day));
    if (messages.length) out.set(day, messages);
    sendLog = [...sendLog, ...delivered(messages)];
  }
  return out;
}

/** Days on which `chatId` got a message, with the stage keys it carried. */
function timeline(runs: Map<string, PlannedMessage[]>, chatId: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [day, messages] of runs) {
    for (const m of messages.filter((m) => m.chatId === chatId)) out[day] = m.items.map((i) => i.key.split("#").slice(1).join("#"));
  }
  return out;
}

const STP = "tg:-100stp";
const SNV = "tg:-100snv";
const base = (extra: Partial<ReminderState> = {}) =>
  state({
    tasks: [task("A1", dated("2021-03-31"))],
    assignments: [assignment("A1", "so-tu-phap")],
    bindings: [binding(STP, "so-tu-phap"), binding(SNV, COORD)],
    ...extra,
  });

describe("stages of a dated milestone", () => {
  it("notices at ≤7, ≤3, ≤1 working days, on the due day, overdue on the 1st working day after and every 3", () => {
    const runs = simulate(base(), "2021-03-15", "2021-04-16");
    expect(timeline(runs, STP)).toEqual({
      "2021-03-22": ["2021-03-31#n7"], // (22, 31] holds 7 working days
      "2021-03-26": ["2021-03-31#n3"],
      "2021-03-30": ["2021-03-31#n1"],
      "2021-03-31": ["2021-03-31#due"],
      "2021-04-01": ["2021-03-31#late1"],
      "2021-04-06": ["2021-03-31#late4"],
      "2021-04-09": ["2021-03-31#late7"],
      "2021-04-14": ["2021-03-31#late10"],
    });
  });

  it("escalates to the coordinator's group once per step (5, 10 working days late), not every day", () => {
    const runs = simulate(base(), "2021-03-15", "2021-04-23");
    expect(timeline(runs, SNV)).toEqual({
      "2021-04-07": ["2021-03-31#esc1"],
      "2021-04-14": ["2021-03-31#esc2"],
      // 21/04 is Giỗ Tổ Hùng Vương: 15 working days late falls on 22/04.
      "2021-04-22": ["2021-03-31#esc3"],
    });
    const esc = runs.get("2021-04-07")!.find((m) => m.chatId === SNV)!;
    expect(esc.kind).toBe("escalation");
    expect(esc.items[0]).toMatchObject({ code: "A1", agencyId: "so-tu-phap", reason: "escalation", days: 5 });
    expect(esc.text).toContain("Sở Tư pháp");
    expect(esc.buttons).toEqual([]); // the coordinator does not answer for another agency
  });

  it("a bot down for days sends only the current state, once (earlier stages count as covered)", () => {
    const messages = plan(base(), "2021-04-08"); // 6 working days late, nothing ever sent
    const stp = messages.find((m) => m.chatId === STP)!;
    expect(stp.items.map((i) => i.key)).toEqual(["A1@so-tu-phap#2021-03-31#late4"]);
    expect(stp.items[0]).toMatchObject({ reason: "overdue", days: 6, due: "2021-03-31" });
    expect(messages.find((m) => m.chatId === SNV)!.items.map((i) => i.key)).toEqual(["A1@so-tu-phap#2021-03-31#esc1"]);
    // The next day nothing new: late4 and esc1 were delivered.
    const after = planReminders(base({ sendLog: delivered(messages) }), settings, calendar, at("2021-04-09"));
    expect(after.map((m) => m.items.map((i) => i.key))).toEqual([["A1@so-tu-phap#2021-03-31#late7"]]);
  });

  it("too early: nothing", () => {
    expect(plan(base(), "2021-03-19")).toEqual([]);
  });
});

describe("working days", () => {
  it("nothing at all on a weekend, whatever is due", () => {
    expect(plan(base(), "2021-03-27")).toEqual([]); // Saturday, n3 would be due
    expect(plan(base(), "2021-04-04")).toEqual([]); // Sunday, overdue
    expect(plan(base(), "2021-03-29")).not.toEqual([]); // Monday
  });

  it("the day is Vietnam's: Friday 23:30 UTC is already Saturday in Hà Nội", () => {
    expect(planReminders(base(), settings, calendar, new Date("2021-03-26T17:30:00Z"))).toEqual([]); // 00:30 Saturday VN
  });

  it("nothing during Tết 2021 (10–16/02); a milestone due during the break is 'due' on the last working day before it", () => {
    const st = base({ tasks: [task("A1", dated("2021-02-14"))] }); // "Trước ngày 15/02/2021", a Sunday in Tết
    const runs = simulate(st, "2021-01-25", "2021-02-26");
    for (const day of days("2021-02-10", "2021-02-16")) expect(runs.has(day)).toBe(false);
    expect(timeline(runs, STP)).toEqual({
      "2021-01-29": ["2021-02-14#n7"], // Fri 29/01: 1,2,3,4,5,8,9/02 = 7 working days
      "2021-02-04": ["2021-02-14#n3"],
      "2021-02-08": ["2021-02-14#n1"],
      "2021-02-09": ["2021-02-14#due"], // the last working day before Tết
      "2021-02-17": ["2021-02-14#late1"], // first working day after the break
      "2021-02-22": ["2021-02-14#late4"],
      "2021-02-25": ["2021-02-14#late7"],
    });
    const due = runs.get("2021-02-09")!.find((m) => m.chatId === STP)!;
    expect(due.text).toContain("hạn 14/02/2021 (ngày nghỉ): hôm nay là ngày làm việc cuối cùng");
    const late = runs.get("2021-02-17")!.find((m) => m.chatId === STP)!;
    expect(late.items[0].days).toBe(1);
  });

  it("a milestone on a holiday (30/04/2021): overdue from the next working day (04/05, after 1/5 and its compensatory 3/5)", () => {
    const st = base({ tasks: [task("A1", dated("2021-04-30"))] });
    const runs = simulate(st, "2021-04-26", "2021-05-05");
    expect(timeline(runs, STP)).toEqual({
      "2021-04-26": ["2021-04-30#n3"], // 27, 28, 29 are the working days left
      "2021-04-28": ["2021-04-30#n1"],
      "2021-04-29": ["2021-04-30#due"],
      "2021-05-04": ["2021-04-30#late1"],
    });
  });
});

describe("who gets what", () => {
  it("collectives: two assignments of one task → two groups, each with its own item and buttons", () => {
    const st = state({
      tasks: [task("B2", dated("2021-03-31"))],
      assignments: [assignment("B2", "so-tu-phap"), assignment("B2", "so-tai-chinh")],
      bindings: [binding(STP, "so-tu-phap"), binding("tg:-100stc", "so-tai-chinh"), binding(SNV, COORD)],
    });
    const messages = plan(st, "2021-03-31");
    expect(messages.map((m) => [m.chatId, m.items.map((i) => i.key)])).toEqual([
      ["tg:-100stc", ["B2@so-tai-chinh#2021-03-31#due"]],
      [STP, ["B2@so-tu-phap#2021-03-31#due"]],
    ]);
    // ✅ names the milestone it was sent for (issue 13 item 12).
    expect(messages[0].buttons[0][0]).toEqual({ text: "✅ B2 xong (hạn 31/03/2021)", data: "xong:B2@so-tai-chinh:20210331" });
    expect(messages[1].text).toContain("Kính gửi: Sở Tư pháp");
  });

  it("what the send-log's archive holds counts as sent, as its live part does (and without either, stages repeat)", () => {
    const st = base();
    let log: ReturnType<typeof delivered> = [];
    let repeatsWithoutLog = 0;
    for (const day of days("2021-03-22", "2021-04-16")) {
      const live = plan({ ...st, sendLog: log }, day);
      expect(plan({ ...st, sendLogArchive: log }, day)).toEqual(live);
      expect(plan({ ...st, sendLog: log.slice(0, 1), sendLogArchive: log.slice(1) }, day)).toEqual(live);
      if (JSON.stringify(plan(st, day)) !== JSON.stringify(live)) repeatsWithoutLog++;
      log = [...log, ...delivered(live)];
    }
    expect(log.length).toBeGreaterThan(2);
    expect(repeatsWithoutLog).toBeGreaterThan(0);
  });

  it("several chats bound to one agency each get the message", () => {
    const st = base({ bindings: [binding(STP, "so-tu-phap"), binding("tg:-100stp2", "so-tu-phap")] });
    const messages = plan(st, "2021-03-31");
    expect(messages.map((m) => m.chatId)).toEqual([STP, "tg:-100stp2"]);
    // One group got it, the other failed: the other is still owed it the next time.
    const again = planReminders({ ...st, sendLog: delivered([messages[0]]) }, settings, calendar, at("2021-03-31", "10:00"));
    expect(again.map((m) => m.chatId)).toEqual(["tg:-100stp2"]);
  });

  it("done on time and done late: no more reminders; a milestone reported done is skipped, the next one goes on", () => {
    const st = state({
      tasks: [task("C1", dated("2021-03-31")), task("C2", dated("2021-03-31")), task("C3", dated("2021-03-31", "2021-06-30"))],
      assignments: [
        assignment("C1", "so-tu-phap", { status: "done", doneAt: "2021-03-30T03:00:00Z" }),
        assignment("C2", "so-tu-phap", { status: "done", doneAt: "2021-04-12T03:00:00Z" }),
        assignment("C3", "so-tu-phap", { milestonesDone: ["2021-03-31"] }),
      ],
      bindings: [binding(STP, "so-tu-phap"), binding(SNV, COORD)],
    });
    expect(plan(st, "2021-04-14")).toEqual([]);
    const june = plan(st, "2021-06-30");
    expect(june.map((m) => m.items.map((i) => i.key))).toEqual([["C3@so-tu-phap#2021-06-30#due"]]);
  });

  it("blocked assignments are still reminded; removed tasks get nothing", () => {
    const st = state({
      tasks: [task("D1", dated("2021-03-31")), task("D2", dated("2021-03-31"), { removed: true })],
      assignments: [assignment("D1", "so-tu-phap", { status: "blocked", blocker: "chờ hướng dẫn" }), assignment("D2", "so-tu-phap")],
      bindings: [binding(STP, "so-tu-phap")],
    });
    expect(plan(st, "2021-03-31").flatMap((m) => m.items.map((i) => i.code))).toEqual(["D1"]);
  });

  it("an extension moves the due: no overdue after the old date, a fresh track before the new one", () => {
    const st = base({
      assignments: [assignment("A1", "so-tu-phap", { extensions: [{ originalDue: "2021-03-31", newDue: "2021-04-30", requestId: 1 }] })],
      // n3 and n1 for the old due were delivered before the extension was approved.
      sendLog: delivered(plan(base(), "2021-03-30")),
    });
    expect(plan(st, "2021-04-01")).toEqual([]);
    const runs = simulate(st, "2021-04-01", "2021-05-04");
    expect(timeline(runs, STP)).toEqual({
      "2021-04-19": ["2021-04-30#n7"], // 20, 22, 23, 26, 27, 28, 29: 21/04 (Giỗ Tổ) and 30/04 are off
      "2021-04-26": ["2021-04-30#n3"],
      "2021-04-28": ["2021-04-30#n1"],
      "2021-04-29": ["2021-04-30#due"],
      "2021-05-04": ["2021-04-30#late1"],
    });
  });
});

describe("check-ins", () => {
  const st = state({
    tasks: [task("E1", continuous), task("E2", conditional)],
    assignments: [assignment("E1", "so-tu-phap"), assignment("E2", "so-tu-phap")],
    bindings: [binding(STP, "so-tu-phap")],
  });

  it("continuous: one check-in per quarter from 10 working days before its end", () => {
    const runs = simulate({ ...st, assignments: [assignment("E1", "so-tu-phap")] }, "2021-03-01", "2021-07-15");
    expect(timeline(runs, STP)).toEqual({
      "2021-03-17": ["2021-Q1#checkin"], // (17/03, 31/03] holds 10 working days
      "2021-06-16": ["2021-Q2#checkin"],
    });
    const m = runs.get("2021-03-17")![0];
    expect(m.items[0]).toMatchObject({ reason: "checkin", due: "2021-03-31", days: 10 });
    expect(m.text).toContain("🔔 Cập nhật");
    expect(m.text).toContain("quý I/2021");
  });

  it("continuous: no check-in when a status was reported in that quarter", () => {
    const reported = { ...st, assignments: [assignment("E1", "so-tu-phap", { lastReportAt: "2021-02-03T02:00:00Z" })] };
    expect(plan(reported, "2021-03-25")).toEqual([]);
    const lastYear = { ...st, assignments: [assignment("E1", "so-tu-phap", { lastReportAt: "2020-12-20T02:00:00Z" })] };
    expect(plan(lastYear, "2021-03-25").length).toBe(1);
  });

  it("no check-in before the plan's own period (a 2022 plan loaded in December 2021; found by a newcomer)", () => {
    const nextYear = { ...st, planStarts: { p1: "2022-01-01" } };
    expect(plan(nextYear, "2021-12-20")).toEqual([]); // Q4/2021 and December's conditional check-in: not this plan's
    expect(plan({ ...st, planStarts: { p1: "2021-01-01" } }, "2021-12-20").length).toBe(1); // the same day, a 2021 plan: asked
    const january = simulate({ ...nextYear, assignments: [assignment("E2", "so-tu-phap")] }, "2021-12-01", "2022-01-10");
    expect(timeline(january, STP)).toEqual({ "2022-01-04": ["2022-01#checkin"] }); // 1–3/1/2022: New Year, weekend
  });

  it("conditional: one check-in per month, with the 🗓 Có ngày button", () => {
    const only = { ...st, assignments: [assignment("E2", "so-tu-phap")] };
    const runs = simulate(only, "2021-03-01", "2021-05-10");
    expect(timeline(runs, STP)).toEqual({
      "2021-03-01": ["2021-03#checkin"],
      "2021-04-01": ["2021-04#checkin"],
      "2021-05-04": ["2021-05#checkin"], // 1/5 Saturday, 3/5 compensatory day off
    });
    const m = runs.get("2021-03-01")![0];
    expect(m.buttons[0].map((b) => b.text)).toContain("🗓 Có ngày");
    expect(m.text).toContain("Sau khi có Quyết định của Bộ Nội vụ");
  });

  it("conditional with a date set (conditionDue): reminded like a dated milestone, no more check-ins", () => {
    const dated = { ...st, assignments: [assignment("E2", "so-tu-phap", { conditionDue: "2021-03-31" })] };
    expect(plan(dated, "2021-03-01")).toEqual([]);
    const m = plan(dated, "2021-03-31")[0];
    expect(m.items.map((i) => i.key)).toEqual(["E2@so-tu-phap#2021-03-31#due"]);
    expect(m.buttons[0].map((b) => b.text)).not.toContain("🗓 Có ngày");
  });
});

describe("admins", () => {
  it("unknown deadline: listed once to the coordinator's group, never to the agency", () => {
    const st = state({
      tasks: [task("F1", unknownDeadline)],
      assignments: [assignment("F1", "so-tu-phap")],
      bindings: [binding(STP, "so-tu-phap"), binding(SNV, COORD)],
    });
    const runs = simulate(st, "2021-03-01", "2021-03-31");
    expect(timeline(runs, STP)).toEqual({});
    expect(timeline(runs, SNV)).toEqual({ "2021-03-01": ["unknown"] });
    const m = runs.get("2021-03-01")![0];
    expect(m.kind).toBe("admin");
    expect(m.text).toContain("❓ Chưa đọc được thời hạn");
  });

  it("many items of agencies without a chat: one line per agency (a newcomer got 264 lines)", () => {
    const codes = Array.from({ length: 20 }, (_, i) => `M${i + 1}`);
    const st = state({
      tasks: [...codes.map((c) => task(c, dated("2021-03-31"))), task("N1", dated("2021-03-31"))],
      assignments: [...codes.map((c) => assignment(c, "so-y-te")), assignment("N1", "so-tu-phap")],
      bindings: [binding(SNV, COORD)],
    });
    const coordinator = plan(st, "2021-03-31").find((m) => m.chatId === SNV)!;
    expect(coordinator.text).toContain(
      "📵 Cơ quan chưa có nhóm — chưa nhận được nhắc việc này, nhờ báo giúp và mời cơ quan /dangky (21 việc, 2 cơ quan)",
    );
    expect(coordinator.text).toContain("• Sở Y tế — 20 việc: M1, M2, M3, M4, M5, M6, M7, M8, M9, M10, M11, M12 và 8 việc khác");
    expect(coordinator.text).toContain("• Sở Tư pháp — 1 việc: N1");
    expect(coordinator.text).not.toContain("• Sở Y tế: M1");
  });

  it("an agency without a chat: planned with chatId null and reported to the coordinator ('chưa có nhóm'), once per stage", () => {
    const st = state({
      tasks: [task("G1", dated("2021-03-31"))],
      assignments: [assignment("G1", "so-y-te")],
      bindings: [binding(SNV, COORD)],
    });
    const messages = plan(st, "2021-03-31");
    expect(messages.map((m) => [m.agencyId, m.chatId, m.key])).toEqual([
      ["so-y-te", null, "2021-03-31|reminder|none:so-y-te"],
      [COORD, SNV, `2021-03-31|reminder|${SNV}`],
    ]);
    expect(messages[1].text).toContain("📵 Cơ quan chưa có nhóm");
    expect(messages[1].text).toContain("Sở Y tế: G1");
    expect(messages[1].buttons).toEqual([]);
    // Reported: not again the same day or the next, until the next stage.
    const sendLog = delivered(messages);
    expect(planReminders({ ...st, sendLog }, settings, calendar, at("2021-04-01")).map((m) => m.items[0].key)).toEqual([
      "G1@so-y-te#2021-03-31#late1",
      "G1@so-y-te#2021-03-31#late1",
    ]);
    expect(
      planReminders(
        { ...st, sendLog: [...sendLog, ...delivered(plan({ ...st, sendLog }, "2021-04-01"))] },
        settings,
        calendar,
        at("2021-04-02"),
      ),
    ).toEqual([]);
    // Once the agency binds a group, it gets the current state.
    const bound = { ...st, sendLog, bindings: [...st.bindings, binding("tg:-100syt", "so-y-te")] };
    expect(plan(bound, "2021-04-01").map((m) => m.chatId)).toEqual(["tg:-100syt"]);
  });

  it("the coordinator's own late work is not escalated to itself; an unbound agency's escalated item takes one line", () => {
    const st = state({
      tasks: [task("K1", dated("2021-03-31"))],
      assignments: [assignment("K1", COORD), assignment("K1", "so-y-te")],
      bindings: [binding(SNV, COORD)],
    });
    const messages = plan(st, "2021-04-08"); // 6 working days late
    const snv = messages.find((m) => m.chatId === SNV)!;
    expect(snv.items.map((i) => i.key)).toEqual([
      "K1@so-noi-vu#2021-03-31#late4",
      "K1@so-y-te#2021-03-31#esc1",
      "K1@so-y-te#2021-03-31#late4",
    ]);
    expect(snv.text).toContain("• K1 — Sở Y tế (📵 chưa có nhóm) — Nhiệm vụ K1 — hạn 31/03/2021, trễ 6 ngày làm việc");
    expect(snv.text).not.toContain("📵 Cơ quan chưa có nhóm");
    expect(snv.text.match(/Sở Y tế/g)).toHaveLength(1);
  });

  it("without a coordinator chat, the coordinator's message is planned with chatId null", () => {
    const st = state({ tasks: [task("F1", unknownDeadline)], bindings: [binding(STP, "so-tu-phap")] });
    const messages = plan(st, "2021-03-01");
    expect(messages.map((m) => [m.agencyId, m.chatId])).toEqual([[COORD, null]]);
  });
});

describe("the message", () => {
  it("one message per chat per day, sections in order, each line with code, title, due and working days", () => {
    const st = state({
      tasks: [
        task("H1", dated("2021-03-25")),
        task("H2", dated("2021-03-31")),
        task("H3", dated("2021-04-02")),
        task("H4", continuous),
        task("H5", dated("2021-03-20")),
      ],
      assignments: ["H1", "H2", "H3", "H4", "H5"].map((c) => assignment(c, "so-tu-phap")),
      bindings: [binding(STP, "so-tu-phap")],
    });
    const [m] = plan(st, "2021-03-31");
    expect(m.kind).toBe("reminder");
    expect(m.text).toBe(
      [
        "📋 NHẮC VIỆC CẢI CÁCH HÀNH CHÍNH",
        "Kính gửi: Sở Tư pháp",
        "Thứ Tư, ngày 31/03/2021",
        "",
        "🔴 Quá hạn (2)",
        "• H5 — Nhiệm vụ H5 — hạn 20/03/2021, trễ 8 ngày làm việc",
        "• H1 — Nhiệm vụ H1 — hạn 25/03/2021, trễ 4 ngày làm việc",
        "",
        "🟠 Đến hạn hôm nay (1)",
        "• H2 — Nhiệm vụ H2 — hạn hôm nay 31/03/2021",
        "",
        "🟡 Sắp đến hạn (1)",
        "• H3 — Nhiệm vụ H3 — hạn 02/04/2021, còn 2 ngày làm việc",
        "",
        "🔔 Cập nhật (1)",
        "• H4 — Nhiệm vụ H4 — xin báo cáo tình hình thực hiện quý I/2021 (hết quý 31/03/2021, còn 0 ngày làm việc)",
        "",
        "Bấm nút dưới đây để báo: ✅ hoàn thành · 📈 tiến độ · ⚠️ vướng mắc.",
        "Hoặc gõ: /xong <mã> · /tiendo <mã> <%> · /vuongmac <mã> <nội dung> · /giahan <mã> <dd/mm/yyyy> <lý do>",
      ].join("\n"),
    );
    expect(m.items.map((i) => i.code)).toEqual(["H5", "H1", "H2", "H3", "H4"]);
    expect(m.buttons.map((row) => row[0].data)).toEqual([
      "xong:H5@so-tu-phap:20210320",
      "xong:H1@so-tu-phap:20210325",
      "xong:H2@so-tu-phap:20210331",
      "xong:H3@so-tu-phap:20210402",
      "xong:H4@so-tu-phap:20210331", // a continuous task: the quarter reported
    ]);
    expect(m.key).toBe(`2021-03-31|reminder|${STP}`);
  });

  it("a long message is split between lines under 4096 characters; buttons for 8 items", () => {
    const codes = Array.from({ length: 150 }, (_, i) => `L${i + 1}`);
    const st = state({
      tasks: codes.map((c) =>
        task(c, dated("2021-03-31"), { title: `${"Rà soát, đánh giá thủ tục hành chính thuộc phạm vi quản lý ".repeat(3)}${c}` }),
      ),
      assignments: codes.map((c) => assignment(c, "so-tu-phap")),
      bindings: [binding(STP, "so-tu-phap")],
    });
    const [m] = plan(st, "2021-03-31");
    expect(m.items).toHaveLength(150);
    expect(m.parts.length).toBeGreaterThan(2);
    for (const p of m.parts) expect(p.length).toBeLessThanOrEqual(4096);
    expect(m.parts.join("\n")).toBe(m.text);
    expect(m.buttons).toHaveLength(8);
    expect(m.text).toContain("(Có nút cho 8 việc đầu; việc khác xin gõ lệnh.)");
  });

  it("item keys parse back to the same items (used to resume an interrupted message)", () => {
    const st = base({
      tasks: [task("A1", dated("2021-03-31")), task("E1", continuous), task("E2", conditional), task("F1", unknownDeadline)],
    });
    st.assignments = [
      assignment("A1", "so-tu-phap"),
      assignment("E1", "so-tu-phap"),
      assignment("E2", "so-tu-phap"),
      assignment("F1", "so-tu-phap"),
    ];
    for (const day of ["2021-03-22", "2021-03-31", "2021-04-09"]) {
      for (const m of plan(st, day)) for (const item of m.items) expect(parseItemKey(item.key, day, calendar)).toEqual(item);
    }
  });
});

describe("a real plan over two months (Quảng Ngãi 2022, 66 tasks, ~500 assignments)", () => {
  it("no reminder on a weekend or holiday, no item sent twice to a chat, every message under the limit", async () => {
    const { readFileSync } = await import("node:fs");
    const { createDirectory } = await import("../../src/core/agencies.ts");
    const { draftFromFile } = await import("../../src/import/service.ts");
    const { previewImport, applyImport } = await import("../../src/import/importer.ts");
    const { emptyStoreData } = await import("../../src/store/types.ts");
    const { agencies } = await import("./fixtures.ts");
    const directory = createDirectory(agencies);
    const data = emptyStoreData();
    const file = new URL("../../../shared/plans/quang-ngai-2022.txt", import.meta.url);
    const draft = await draftFromFile({ name: "quang-ngai-2022.txt", data: readFileSync(file) }, directory);
    applyImport(data, previewImport(draft, data), { directory, now: new Date("2022-01-05T00:00:00Z"), removeMissing: false });
    expect(data.assignments.length).toBeGreaterThan(200);

    // Every agency bound except three (they go to the coordinator), some progress.
    const agencyIds = [...new Set(data.assignments.map((a) => a.agencyId))].sort();
    const unbound = new Set(agencyIds.slice(0, 3).filter((id) => id !== COORD));
    const bindings = [...agencyIds.filter((id) => !unbound.has(id)), COORD].map((id) => binding(`tg:-${id}`, id));
    const assignments = data.assignments.map((a, i) => (i % 7 === 0 ? { ...a, status: "done" as const } : a));
    const st = state({ tasks: data.tasks, assignments, bindings });

    const seen = new Set<string>();
    let sendLog = st.sendLog;
    let total = 0;
    let escalations = 0;
    for (const day of days("2022-03-01", "2022-04-30")) {
      const messages = planReminders({ ...st, sendLog }, settings, calendar, at(day));
      if (!calendar.isWorkingDay(day)) {
        expect(messages, day).toEqual([]);
        continue;
      }
      const keys = new Set<string>();
      for (const m of messages) {
        expect(keys.has(m.key)).toBe(false); // one message per chat per day
        keys.add(m.key);
        expect(m.items.length).toBeGreaterThan(0);
        for (const p of m.parts) expect(p.length).toBeLessThanOrEqual(4096);
        if (!m.chatId) continue;
        for (const i of m.items) {
          const sent = `${m.chatId} ${i.key}`;
          expect(seen.has(sent), `${day}: ${sent} twice`).toBe(false);
          seen.add(sent);
          if (i.reason === "escalation") escalations++;
        }
        total++;
      }
      sendLog = [...sendLog, ...delivered(messages)];
    }
    // Giỗ Tổ 2022 (10/4, a Sunday) gives Monday 11/4 off.
    expect(calendar.isWorkingDay("2022-04-11")).toBe(false);
    expect(total).toBeGreaterThan(50);
    expect(escalations).toBeGreaterThan(0);
    // A day with nothing new after a busy one: the state is not replayed day by day.
    expect(planReminders({ ...st, sendLog }, settings, calendar, at("2022-04-29", "15:00"))).toEqual([]);
  }, 60_000);
});
