import type { CrmName } from "../../../shared/index.js";
import type { PolicyExceptionData } from "../../../shared/index.js";
import { resolveRule } from "./resolve-rule.js";
import type { CompiledPolicy, CompiledRule, DecisionAttributes, DecisionInput, FactValue } from "./types.js";

/**
 * The record-fact exceptions (`named_account`, `regulated_industry`, `exec_persona`) answered from
 * what the CRM says, never from the agent (docs/policy.md "Exceptions from CRM data"). The reads
 * happen at the edges (enforce/, actions/ through record-facts/); this file only says which
 * properties to read and what their values mean, so `decide` stays pure.
 */

export const RECORD_FACT_CONDITIONS = ["named_account", "regulated_industry", "exec_persona"] as const;

const DEFAULT_REGULATED = ["banking", "financial services", "insurance", "healthcare", "pharmaceuticals", "government"];
const DEFAULT_TITLES = [
  "\\bchief\\b",
  "\\bc[eftmiors]o\\b",
  "\\bvp\\b",
  "\\bsvp\\b",
  "\\bevp\\b",
  "vice[ -]president",
  "\\bpresident\\b",
  "\\bfounder\\b",
  "\\bco-founder\\b",
  "\\bhead of\\b",
];

/** Default property names per CRM; the policy's `exception_data` may name others. */
const DEFAULT_PROPERTIES = {
  hubspot: { industry: "industry", title: "jobtitle", domain: "domain", companyLink: "associatedcompanyid" },
  salesforce: { industry: "Industry", title: "Title", domain: "Website", companyLink: "AccountId" },
} as const;

export interface CompiledExceptionData {
  whenMissing: "human" | "allow";
  namedIds: ReadonlySet<string>;
  namedDomains: ReadonlySet<string>;
  namedProperty: string | undefined;
  regulated: ReadonlySet<string>;
  industryProperty: string | undefined;
  titles: readonly RegExp[];
  titleProperty: string | undefined;
  seniorityProperty: string | undefined;
  seniorities: ReadonlySet<string>;
}

const normalDomain = (d: string) =>
  d
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, "")
    .replace(/^www\./, "")
    .replace(/\/.*$/, "");

export function compileExceptionData(data: PolicyExceptionData | undefined): CompiledExceptionData {
  const d = data ?? {};
  return {
    whenMissing: d.when_missing ?? "human",
    namedIds: new Set(d.named_accounts?.ids ?? []),
    namedDomains: new Set((d.named_accounts?.domains ?? []).map(normalDomain)),
    namedProperty: d.named_accounts?.property,
    regulated: new Set((d.regulated_industry?.values ?? DEFAULT_REGULATED).map((v) => v.toLowerCase())),
    industryProperty: d.regulated_industry?.property,
    titles: (d.exec_persona?.titles ?? DEFAULT_TITLES).map((t) => new RegExp(t, "i")),
    titleProperty: d.exec_persona?.title_property,
    seniorityProperty: d.exec_persona?.seniority_property,
    seniorities: new Set((d.exec_persona?.seniorities ?? []).map((v) => v.toLowerCase())),
  };
}

/** Which properties to read: on the person (contact, lead) and on the company (or the record itself). */
export interface FactProperties {
  /** Read on the target record: the person's title/seniority, the company link, and the company's own fields. */
  record: string[];
  /** The property of a person record that names its company (`associatedcompanyid`, `AccountId`). */
  companyLink: string;
  /** Read on the linked company. */
  company: string[];
  /**
   * What a target of one object type is read with instead of `record`, where the CRM refuses a
   * field the object lacks: Salesforce answers a whole SOQL query with `INVALID_FIELD`, so a
   * Contact (no Industry, no Website) or a Lead (no AccountId) read with `record` would fail and
   * leave every fact unknown. HubSpot ignores properties an object lacks: none.
   */
  byObjectType?: Readonly<Record<string, string[]>>;
}

export function recordFactProperties(policy: CompiledPolicy, crm: CrmName): FactProperties {
  const x = policy.exceptionData;
  const d = DEFAULT_PROPERTIES[crm];
  const company = [x.industryProperty ?? d.industry, d.domain, ...(x.namedProperty ? [x.namedProperty] : [])];
  const person = [x.titleProperty ?? d.title, ...(x.seniorityProperty ? [x.seniorityProperty] : [])];
  const record = [...new Set([...person, d.companyLink, ...company])];
  if (crm === "hubspot") return { record, companyLink: d.companyLink, company };
  return {
    record,
    companyLink: d.companyLink,
    company,
    byObjectType: {
      // A Contact's company is its Account; a Lead carries its company's fields itself and has no Account until converted.
      Contact: [...person, d.companyLink],
      Lead: [...new Set([...person, ...company])],
      Account: company,
      Opportunity: [d.companyLink],
    },
  };
}

/**
 * What the CRM said, as read at the edge. `person` is absent when the target is not a person
 * (a company, a deal) and null when it could not be read; `company` is null when none is linked or
 * it could not be read. `writing` is the value the action itself sets, when it sets one of the
 * fact properties (an industry proposal of "Banking" is a regulated account already).
 */
export interface RecordFacts {
  crm: CrmName;
  person?: Readonly<Record<string, string | null>> | null;
  company: { id: string | null; properties: Readonly<Record<string, string | null>> } | null;
  writing?: { field: string; value: string | null } | undefined;
}

const present = (v: string | null | undefined): v is string => typeof v === "string" && v.trim() !== "";
const TRUTHY = new Set(["true", "yes", "1", "on"]);

/** The three record-fact attributes from what the CRM says: true, false, or "unknown" (no data). */
export function attributesFromRecordFacts(
  policy: CompiledPolicy,
  facts: RecordFacts,
): Pick<DecisionAttributes, "namedAccount" | "regulatedIndustry" | "execPersona"> {
  const x = policy.exceptionData;
  const d = DEFAULT_PROPERTIES[facts.crm];
  const company = facts.company;
  const written = (field: string) => (facts.writing?.field === field ? facts.writing.value : undefined);

  let namedAccount: FactValue = false;
  const namesAny = x.namedIds.size > 0 || x.namedDomains.size > 0 || x.namedProperty !== undefined;
  if (namesAny) {
    if (company === null) namedAccount = "unknown";
    else {
      const domain = company.properties[d.domain];
      const flag = x.namedProperty ? company.properties[x.namedProperty] : undefined;
      namedAccount =
        (company.id !== null && x.namedIds.has(company.id)) ||
        (present(domain) && x.namedDomains.has(normalDomain(domain))) ||
        (present(flag) && TRUTHY.has(flag.trim().toLowerCase()));
    }
  }

  const industryProperty = x.industryProperty ?? d.industry;
  const industries = [company?.properties[industryProperty], written(industryProperty)].filter(present);
  const regulatedIndustry: FactValue = industries.some((i) => x.regulated.has(i.trim().toLowerCase()))
    ? true
    : industries.length > 0
      ? false
      : "unknown";

  let execPersona: FactValue = false;
  if (facts.person !== undefined) {
    const titleProperty = x.titleProperty ?? d.title;
    const title = facts.person?.[titleProperty] ?? written(titleProperty);
    const seniority = x.seniorityProperty ? facts.person?.[x.seniorityProperty] : undefined;
    if (present(title) && x.titles.some((re) => re.test(title))) execPersona = true;
    else if (present(seniority) && x.seniorities.has(seniority.trim().toLowerCase())) execPersona = true;
    else execPersona = present(title) || present(seniority) ? false : "unknown";
  }
  return { namedAccount, regulatedIndustry, execPersona };
}

/** Whether the rule deciding this input names a record-fact exception: only then are facts read. */
export function needsRecordFacts(policy: CompiledPolicy, input: DecisionInput): boolean {
  const r = resolveRule(policy, input);
  if (r.kind !== "rule") return false;
  return r.rule.exceptions.some(([c]) => (RECORD_FACT_CONDITIONS as readonly string[]).includes(c));
}

/** Whether any rule of the policy names the exception `condition`: only then is its fact looked up. */
export function policyNamesException(policy: CompiledPolicy, condition: string): boolean {
  const named = (rules: Iterable<CompiledRule>) => [...rules].some((r) => r.exceptions.some(([c]) => c === condition));
  for (const role of policy.roles.values()) {
    if (named(role.actions.values())) return true;
    for (const o of role.objects.values()) if (named(o.fields.values()) || named(o.actions.values())) return true;
  }
  return false;
}

/** The data provider an input names (`attributes.provider`, else its `source`), lower case; undefined when none. */
export function providerOf(input: DecisionInput): string | undefined {
  const p = input.attributes?.provider ?? input.source;
  return p ? p.toLowerCase() : undefined;
}

/** Whether the rule that governs `input` names the exception `condition` (e.g. `new_domain`). */
export function ruleNamesException(policy: CompiledPolicy, input: DecisionInput, condition: string): boolean {
  const r = resolveRule(policy, input);
  return r.kind === "rule" && r.rule.exceptions.some(([c]) => c === condition);
}

/**
 * The agent's own flags can only make a decision stricter: a fact the CRM answers wins, except
 * that an agent saying "yes" is believed (it asks for more care, never less).
 */
export function mergeFactAttributes(
  fromAgent: DecisionAttributes | undefined,
  fromCrm: Pick<DecisionAttributes, "namedAccount" | "regulatedIndustry" | "execPersona">,
): DecisionAttributes {
  const pick = (agent: FactValue | undefined, crm: FactValue | undefined): FactValue | undefined =>
    agent === true ? true : crm;
  return {
    ...fromAgent,
    namedAccount: pick(fromAgent?.namedAccount, fromCrm.namedAccount),
    regulatedIndustry: pick(fromAgent?.regulatedIndustry, fromCrm.regulatedIndustry),
    execPersona: pick(fromAgent?.execPersona, fromCrm.execPersona),
  };
}
