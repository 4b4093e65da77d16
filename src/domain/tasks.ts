/**
 * Admins correcting the registry after an import: a task's field (`/sua`), an agency added
 * (`/themcoquan`), a name in the plan mapped to an agency (`/bidanh`). Every edit keeps what the
 * plan said (`fromPlan`), so a later re-import of the same plan does not undo it.
 */
import { createDirectory, slugId, type Directory } from "../core/agencies.ts";
import { outsideDateWindow, toVnDay } from "../core/calendar.ts";
import { parseDeadline } from "../core/deadline.ts";
import type { Agency, Task } from "../core/schemas.ts";
import { fold, hasViDateForm, shorten, viDateProblem } from "../core/text.ts";
import { assigneesOf, inheritedDoneShare, newAssignment, planValues } from "../import/importer.ts";
import { requireTask } from "./assignments.ts";
import { eventBy, Refusal, type ActingUser, type Deps } from "./context.ts";

export type EditableField = "deadline" | "leads" | "coordinating" | "product" | "content";

/**
 * Set `field` of task `code` to `value` as an admin typed it: a deadline phrase is read with
 * the plan's year (the contract in ../shared/spec/deadline-phrases.md), lead agencies are
 * resolved in the directory. Changing the leads assigns the new agencies (done already when
 * every share was: the work is not reopened); shares nobody has reported on go, shares with
 * any report stay (no history is lost). Refuses an unknown code,
 * an unreadable deadline and unknown agencies. Returns the parser's warnings (Vietnamese).
 */
export async function editTask(
  deps: Deps,
  actor: ActingUser,
  code: string,
  field: EditableField,
  value: string,
  text: string,
): Promise<{ warnings: string[] }> {
  const { store, directory, now } = deps;
  const task = requireTask(store.read(), code);
  const plan = store.read().plans.find((p) => p.id === task.planId);
  const warnings: string[] = [];
  const patch: Partial<Task> = {};
  if (field === "deadline") {
    const parsed = parseDeadline(value, {
      planYear: plan?.year ?? Number(toVnDay(now).slice(0, 4)),
      period: plan?.period,
      signed: plan?.signed,
    });
    if (parsed.deadline.kind === "unknown") {
      // A whole date that does not exist (31/02/2021) is said so, in the words every command uses.
      const wrongDay = hasViDateForm(value) ? `${viDateProblem(value)} ` : "";
      throw new Refusal(
        `⚠️ ${wrongDay || `Không đọc được thời hạn «${value}». `}Ví dụ: Quý II/2025, Trước ngày 15/6/2025, Thường xuyên. Không có gì thay đổi.`,
      );
    }
    const outside = parsed.deadline.milestones
      .flatMap((m) => [m.due, ...(m.start ? [m.start] : [])])
      .map((day) => outsideDateWindow(day, now))
      .find(Boolean);
    if (outside) throw new Refusal(`⚠️ Thời hạn «${value}»: ${outside} Không có gì thay đổi.`, true);
    patch.deadline = parsed.deadline;
    warnings.push(...parsed.warnings.map((w) => w.message));
  } else if (field === "leads") {
    patch.leads = directory.resolveLeads(value);
    const unknown = patch.leads.filter((l) => !l.agencyId).map((l) => l.raw);
    if (unknown.length)
      throw new Refusal(`⚠️ Không có trong danh mục: ${unknown.join(", ")}. Dùng /bidanh hoặc /themcoquan trước. Không có gì thay đổi.`);
  } else {
    patch[field] = value;
    if (field === "content") patch.title = shorten(value, 90);
  }
  await store.update((data) => {
    const index = data.tasks.findIndex((t) => t.code === task.code);
    const before = data.tasks[index];
    const after = { ...before, ...patch, fromPlan: planValues(before) };
    data.tasks[index] = after;
    if (patch.leads) {
      const wanted = new Set(assigneesOf(after, directory));
      const shares = data.assignments.filter((a) => a.taskCode === task.code);
      // Work already done stays done for a new lead (as a re-import does): it is not reminded again.
      const done = shares.length > 0 && shares.every((a) => a.status === "done") ? shares : null;
      data.assignments = data.assignments.filter((a) => a.taskCode !== task.code || wanted.has(a.agencyId) || a.updatedAt);
      for (const agencyId of wanted) {
        if (data.assignments.some((a) => a.taskCode === task.code && a.agencyId === agencyId)) continue;
        data.assignments.push(done ? inheritedDoneShare(task.code, agencyId, done, directory) : newAssignment(task.code, agencyId));
      }
    }
    const event = eventBy(actor, now, {
      action: "task.edit",
      taskCode: task.code,
      before: { [field]: before[field] },
      after: { [field]: after[field] },
      text,
    });
    return { result: null, events: [event] };
  });
  return { warnings };
}

/** The agency an admin or officer typed — by id, name or alias — or up to five close candidates. */
export function findAgency(directory: Directory, text: string): { agency: Agency | null; candidates: Agency[] } {
  const agency = directory.get(text.toLowerCase()) ?? directory.resolve(text);
  return { agency, candidates: agency ? [] : directory.search(text).slice(0, 5) };
}

/**
 * The longest agency id: ids travel in button payloads (`xong:<code>@<id>:<day>`, Telegram's
 * 64 bytes) and are typed by admins. The importer cuts new ids the same way (importer.ts).
 */
export const AGENCY_ID_MAX = 32;

/**
 * The longest name `/themcoquan` and `/bidanh` accept (the longest in data/agencies.json has 58
 * characters, the longest lead or partner written in the sample plans 72): a name is repeated in
 * every reminder, digest and list of the agency.
 */
export const AGENCY_NAME_MAX = 200;

/**
 * Refuses (Refusal, input) a `name` that cannot be an agency's name or a plan's way of writing
 * it: longer than AGENCY_NAME_MAX, or without a word of two letters — a number, a date, a
 * task code or markup typed in the wrong place (`/themcoquan 1e309`, `/bidanh 30/06/9999 = …`).
 */
function checkAgencyName(name: string): void {
  if (name.length > AGENCY_NAME_MAX) throw new Refusal(`Tên cơ quan dài ${name.length} ký tự: tối đa ${AGENCY_NAME_MAX}.`, true);
  if (!/\p{L}{2,}/u.test(name)) throw new Refusal(`«${name}» không phải tên cơ quan: tên cần có chữ (ví dụ Sở Tư pháp).`, true);
}

/** A new agency's id from its name: the slug, cut at a word to at most AGENCY_ID_MAX characters. */
function shortSlug(name: string): string {
  const slug = slugId(name);
  if (slug.length <= AGENCY_ID_MAX) return slug;
  return slug.slice(0, AGENCY_ID_MAX + 1).replace(/-[^-]*$/, "") || slug.slice(0, AGENCY_ID_MAX);
}

/**
 * `/themcoquan`: a new agency `name` with id `id` (default: the name's slug, cut at a word to
 * 32 characters, with `-2`, `-3`… when taken). Refuses an id that is not lower-case Latin
 * letters, digits and dashes or is longer than 32 characters (input), an id given and already
 * taken, a name the directory already resolves (that is an alias: /bidanh), and a name
 * `checkAgencyName` refuses (too long, no word).
 */
export async function addAgency(deps: Deps, actor: ActingUser, name: string, id: string | undefined, text: string): Promise<Agency> {
  checkAgencyName(name);
  const base = (id || shortSlug(name)).toLowerCase();
  if (!/^[a-z0-9-]+$/.test(base)) throw new Refusal(`Mã «${base}» chỉ được gồm chữ thường không dấu, số và dấu -.`, true);
  if (base.length > AGENCY_ID_MAX) {
    throw new Refusal(`Mã «${base}» dài ${base.length} ký tự: tối đa ${AGENCY_ID_MAX}. Chọn mã ngắn hơn: /themcoquan ${name} = <mã>`, true);
  }
  return deps.store.update((data) => {
    const owner = (candidate: string) => deps.directory.get(candidate) ?? data.extraAgencies.find((a) => a.id === candidate);
    let agencyId = base;
    // A generated id that is taken gets a number (cut so that it still fits); a chosen one is refused.
    for (let n = 2; !id && owner(agencyId); n++)
      agencyId = `${base.slice(0, AGENCY_ID_MAX - String(n).length - 1).replace(/-+$/, "")}-${n}`;
    const taken = owner(agencyId);
    if (taken) throw new Refusal(`Đã có cơ quan mã «${agencyId}» (${taken.name}). Chọn mã khác: /themcoquan ${name} = <mã>`);
    const known = deps.directory.resolve(name);
    if (known) {
      throw new Refusal(
        `«${name}» đã có trong danh mục: ${known.name} (mã ${known.id}). Không thêm cơ quan trùng; gán tên khác bằng /bidanh <tên> = ${known.id}.`,
      );
    }
    const agency: Agency = { id: agencyId, name, aliases: [], collective: false, members: [] };
    data.extraAgencies = [...data.extraAgencies, agency];
    return { result: agency, events: [eventBy(actor, deps.now, { action: "agency.add", agencyId, after: agency, text })] };
  });
}

/**
 * `/bidanh`: `name` (as written in a plan) stands for agency `agencyId` from now on, and the
 * tasks whose unresolved lead is that name are assigned to it. Refuses an unknown agency and a
 * name that already stands for another agency (remapping it would move that agency's work
 * without anyone seeing it), and a name `checkAgencyName` refuses. Returns the agency and the codes of the tasks assigned.
 */
export async function addAlias(
  deps: Deps,
  actor: ActingUser,
  name: string,
  agencyId: string,
  text: string,
): Promise<{ agency: Agency; tasks: string[] }> {
  checkAgencyName(name);
  const agency = deps.directory.get(agencyId.toLowerCase());
  if (!agency) throw new Refusal(`Không có cơ quan mã «${agencyId}». Gõ /coquan để xem mã, hoặc /themcoquan để thêm cơ quan mới.`);
  const already = deps.directory.resolve(name);
  if (already && already.id !== agency.id) {
    throw new Refusal(
      `«${name}» đã là tên của ${already.name} (mã ${already.id}): không gán sang ${agency.name}. ` +
        `Nếu một nhiệm vụ cần đổi cơ quan chủ trì, dùng /sua <mã nhiệm vụ> chutri ${agency.name}. Không có gì thay đổi.`,
    );
  }
  const tasks = await deps.store.update((data) => {
    data.extraAliases = { ...data.extraAliases, [name]: agency.id };
    const directory = createDirectory(deps.directory.all(), data.extraAliases);
    const touched: string[] = [];
    const named = (l: { raw: string; agencyId: string | null }) => !l.agencyId && fold(l.raw) === fold(name);
    data.tasks.forEach((original, i) => {
      if (!original.leads.some(named)) return;
      const task = { ...original, leads: original.leads.map((l) => (named(l) ? { ...l, agencyId: agency.id } : l)) };
      data.tasks[i] = task;
      for (const id of assigneesOf(task, directory)) {
        if (!data.assignments.some((a) => a.taskCode === task.code && a.agencyId === id))
          data.assignments.push(newAssignment(task.code, id));
      }
      touched.push(task.code);
    });
    return {
      result: touched,
      events: [
        eventBy(actor, deps.now, { action: "alias", agencyId: agency.id, after: { name, agencyId: agency.id, tasks: touched }, text }),
      ],
    };
  });
  return { agency, tasks };
}
