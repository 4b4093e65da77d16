/**
 * Domain schemas. Every type the core works with is inferred from these, and every
 * input from outside (store file, import, chat, CLI) is parsed with them at the edge.
 */
import { z } from "zod";

/** A calendar day in Asia/Ho_Chi_Minh, `YYYY-MM-DD`. */
export const IsoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "ngày phải có dạng YYYY-MM-DD");
export type IsoDay = z.infer<typeof IsoDay>;

// ---------------------------------------------------------------- deadlines
// The contract lives in ../shared/spec/deadline-phrases.md.

export const Milestone = z.object({
  /** Last day on which the work is still on time. */
  due: IsoDay,
  start: IsoDay.optional(),
  label: z.string().optional(),
});
export type Milestone = z.infer<typeof Milestone>;

export const DeadlineKind = z.enum(["date", "period", "continuous", "conditional", "unknown"]);
export type DeadlineKind = z.infer<typeof DeadlineKind>;

export const Recurrence = z.enum(["monthly", "quarterly", "semiannual", "annual"]);
export type Recurrence = z.infer<typeof Recurrence>;

export const Deadline = z.object({
  raw: z.string(),
  kind: DeadlineKind,
  milestones: z.array(Milestone),
  recurrence: Recurrence.optional(),
  condition: z.string().optional(),
});
export type Deadline = z.infer<typeof Deadline>;

// ---------------------------------------------------------------- agencies

export const Agency = z.object({
  /** Short, stable, Latin id typed by admins: `so-tu-phap`, `ubnd-huyen`. */
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1),
  /** Other spellings and abbreviations found in plans: "Sở TT&TT", "VP. UBND tỉnh". */
  aliases: z.array(z.string()).default([]),
  /** A collective ("UBND cấp huyện") stands for its member agencies when work is assigned. */
  collective: z.boolean().default(false),
  /** Member agency ids of a collective. */
  members: z.array(z.string()).default([]),
});
export type Agency = z.infer<typeof Agency>;

export const AgencyDirectory = z.object({
  agencies: z.array(Agency),
});
export type AgencyDirectory = z.infer<typeof AgencyDirectory>;

// ---------------------------------------------------------------- plans and tasks

export const ReformArea = z.enum([
  "chi-dao-dieu-hanh",
  "the-che",
  "thu-tuc-hanh-chinh",
  "to-chuc-bo-may",
  "cong-vu",
  "tai-chinh-cong",
  "chinh-quyen-so",
  "khac",
]);
export type ReformArea = z.infer<typeof ReformArea>;

/** The years a plan spans, first and last inclusive (a yearly plan: first = last = its year). */
export const Period = z.object({ first: z.number().int().min(2000).max(2100), last: z.number().int().min(2000).max(2100) });
export type Period = z.infer<typeof Period>;

export const Plan = z.object({
  id: z.string(),
  number: z.string().nullable(),
  issuer: z.string().nullable(),
  /** Signing date. */
  signed: IsoDay.nullable(),
  title: z.string(),
  /** The year the plan is for (not the year it was signed). */
  year: z.number().int().min(2000).max(2100),
  /** The years a multi-year plan spans ("giai đoạn 2026 - 2030"); absent for plans imported before it was read. */
  period: Period.optional(),
  /** Where the year or period was read, for the preview ("đọc từ tiêu đề «…»", "tiêu đề không ghi năm: lấy năm ký 2025"). */
  yearSource: z.string().optional(),
  importedAt: z.string(),
  source: z.string().optional(),
  active: z.boolean().default(true),
});
export type Plan = z.infer<typeof Plan>;

export const LeadRef = z.object({
  raw: z.string(),
  /** null when the name is not in the directory. */
  agencyId: z.string().nullable(),
});
export type LeadRef = z.infer<typeof LeadRef>;

export const Task = z.object({
  /** Short code an officer types on a phone: no diacritics, ≤ 10 characters. */
  code: z.string().regex(/^[A-Z0-9.-]{1,10}$/),
  planId: z.string(),
  /** Row/item number as printed in the plan (STT), if any. */
  stt: z.string().optional(),
  /** The heading path the task sits under, verbatim. */
  section: z.string().default(""),
  area: ReformArea,
  /** Short title for one-line listings. */
  title: z.string(),
  /** Full content, verbatim with whitespace folded. */
  content: z.string(),
  product: z.string().default(""),
  leads: z.array(LeadRef),
  coordinating: z.string().default(""),
  deadline: Deadline,
  /** Row number in the source document, for warnings. */
  row: z.number().int().optional(),
  removed: z.boolean().default(false),
  /**
   * The task as the plan last gave it (before admins' edits): a re-import compares the plan
   * with this, so an edit made with /sua survives unless the plan itself changed that field.
   * Absent for tasks imported before it was kept.
   */
  fromPlan: z
    .object({
      content: z.string(),
      product: z.string(),
      coordinating: z.string(),
      /** Lead names as written. */
      leads: z.array(z.string()),
      /** The deadline phrase as written. */
      deadline: z.string(),
    })
    .optional(),
});
export type Task = z.infer<typeof Task>;
/** What a plan says of a task, kept to tell admins' edits from the plan's own changes. */
export type PlanValues = NonNullable<Task["fromPlan"]>;

// ---------------------------------------------------------------- assignments (per-agency progress)

export const Evidence = z.object({
  /** A document number recognised in the text: `189/KH-UBND`. */
  documentNumber: z.string().optional(),
  documentDate: IsoDay.optional(),
  /** A file sent to the bot, stored by reference. */
  file: z.object({ platform: z.string(), fileId: z.string(), name: z.string().optional(), size: z.number().optional() }).optional(),
  text: z.string().optional(),
  at: z.string(),
  by: z.string(),
});
export type Evidence = z.infer<typeof Evidence>;

export const AssignmentStatus = z.enum(["open", "blocked", "done"]);
export type AssignmentStatus = z.infer<typeof AssignmentStatus>;

export const Extension = z.object({
  /** The milestone's due date as the plan had it. */
  originalDue: IsoDay,
  newDue: IsoDay,
  requestId: z.number().int(),
});
export type Extension = z.infer<typeof Extension>;

export const Assignment = z.object({
  /** `${taskCode}@${agencyId}` */
  id: z.string(),
  taskCode: z.string(),
  agencyId: z.string(),
  progress: z.number().int().min(0).max(100).default(0),
  status: AssignmentStatus.default("open"),
  /** Instant (ISO) the agency reported it done. */
  doneAt: z.string().optional(),
  /** Milestones (by original due) already reported done, for multi-milestone tasks. */
  milestonesDone: z.array(IsoDay).default([]),
  /** Of those, the ones reported after their (extended) due. */
  lateMilestones: z.array(IsoDay).default([]),
  /** For continuous tasks: the last instant a status was reported. */
  lastReportAt: z.string().optional(),
  /** Date the condition of a conditional task was met, set by the agency. */
  conditionDue: IsoDay.optional(),
  evidence: z.array(Evidence).default([]),
  extensions: z.array(Extension).default([]),
  blocker: z.string().optional(),
  note: z.string().optional(),
  updatedAt: z.string().optional(),
});
export type Assignment = z.infer<typeof Assignment>;

export const ExtensionRequest = z.object({
  id: z.number().int(),
  assignmentId: z.string(),
  taskCode: z.string(),
  agencyId: z.string(),
  originalDue: IsoDay,
  requestedDue: IsoDay,
  reason: z.string(),
  status: z.enum(["pending", "approved", "rejected"]),
  requestedBy: z.string(),
  requestedAt: z.string(),
  decidedBy: z.string().optional(),
  decidedAt: z.string().optional(),
  decisionNote: z.string().optional(),
});
export type ExtensionRequest = z.infer<typeof ExtensionRequest>;

// ---------------------------------------------------------------- chats

export const Platform = z.enum(["tg", "local", "zl"]);
export type Platform = z.infer<typeof Platform>;

/** Chat ids are prefixed by platform: `tg:-1001234` (Telegram), `zl:8412…` (Zalo), `local:so-tu-phap`. */
export const ChatId = z.string().regex(/^(tg|local|zl):.+$/);
export type ChatId = z.infer<typeof ChatId>;

export const ChatBinding = z.object({
  chatId: ChatId,
  platform: Platform,
  agencyId: z.string(),
  title: z.string().optional(),
  boundBy: z.string(),
  boundAt: z.string(),
});
export type ChatBinding = z.infer<typeof ChatBinding>;

/** A `/dangky` by a non-admin, waiting for an admin's confirmation. */
export const PendingBinding = ChatBinding.extend({ id: z.number().int() });
export type PendingBinding = z.infer<typeof PendingBinding>;

// ---------------------------------------------------------------- audit trail

export const Actor = z.object({ id: z.string(), name: z.string() });
export type Actor = z.infer<typeof Actor>;

export const Event = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: Actor,
  chatId: z.string().nullable(),
  /** What kind of change: `progress`, `done`, `bind`, `import`, `extension.approve`… */
  action: z.string(),
  taskCode: z.string().optional(),
  agencyId: z.string().optional(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  /** The message text that caused the change. */
  text: z.string().optional(),
});
export type Event = z.infer<typeof Event>;
export type EventInput = Omit<Event, "seq">;

// ---------------------------------------------------------------- reminder send-log

export const SendStatus = z.enum(["planned", "sending", "delivered", "failed"]);
export type SendStatus = z.infer<typeof SendStatus>;

export const SendLogEntry = z.object({
  /** `${day}|${kind}|${chatId}` — one message (possibly split in parts) per chat per run. */
  key: z.string(),
  day: IsoDay,
  /** `reminder` | `digest-weekly` | `digest-quarter` | `admin` */
  kind: z.string(),
  chatId: z.string(),
  /** Item keys planned in this message (`code@agency#due#reason`). */
  items: z.array(z.string()),
  status: SendStatus,
  /** Parts already delivered, so a retry resumes after them. */
  partsDelivered: z.number().int().default(0),
  parts: z.number().int().default(1),
  /**
   * The part (1-based) whose request was put on the wire (`onWire`) and whose outcome is not
   * recorded yet; 0 = none is on the wire. Absent in entries written before wire tracking:
   * such an entry found `sending` is read as if part `partsDelivered + 1` was on the wire.
   */
  wirePart: z.number().int().min(0).optional(),
  /** When `wirePart` was put on the wire (ISO instant). */
  wireAt: z.string().optional(),
  /** Parts counted delivered without confirmation (on the wire at a crash, or an uncertain send): at most once. */
  uncertainParts: z.array(z.number().int()).optional(),
  updatedAt: z.string(),
  error: z.string().optional(),
});
export type SendLogEntry = z.infer<typeof SendLogEntry>;

/** Record of a completed scheduled run (reminders, digest) for a day. */
export const RunLogEntry = z.object({
  key: z.string(),
  day: IsoDay,
  kind: z.string(),
  startedAt: z.string(),
  completedAt: z.string().optional(),
});
export type RunLogEntry = z.infer<typeof RunLogEntry>;
