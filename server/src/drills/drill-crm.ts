import { HUBSPOT_OBJECTS, SALESFORCE_OBJECTS, type CrmName } from "../../../shared/index.js";

/**
 * How one CRM names what the drills touch: its contacts in the API and the fields of them the
 * drill policy governs (field names are the CRM's own API names: docs/contracts.md "Policy
 * manifest"). The drill stack hands one to the drills, so the same drill code serves both CRMs.
 */
export interface DrillCrm {
  crm: CrmName;
  /** The contact object as the CRM's API names it (HubSpot `contacts`, Salesforce `Contact`). */
  objectType: string;
  emailField: string;
  /** Read by the `exec_persona` exception: the drill's test contact is an analyst, not an executive. */
  titleField: string;
  firstNameField: string;
  lastNameField: string;
}

export const DRILL_CRMS: Record<CrmName, DrillCrm> = {
  hubspot: {
    crm: "hubspot",
    objectType: HUBSPOT_OBJECTS.contact!.name,
    emailField: "email",
    titleField: "jobtitle",
    firstNameField: "firstname",
    lastNameField: "lastname",
  },
  salesforce: {
    crm: "salesforce",
    objectType: SALESFORCE_OBJECTS.contact!,
    emailField: "Email",
    titleField: "Title",
    firstNameField: "FirstName",
    lastNameField: "LastName",
  },
};

/** The contact a live drill created for itself in the configured CRM (removed at the end). */
export interface DrillTestRecord extends DrillCrm {
  id: string;
}

/** The fields of a live drill's test contact: an analyst (no exec persona) at a reserved, undeliverable address. */
export function testContactFields(crm: DrillCrm, run: string): Record<string, string> {
  return {
    [crm.emailField]: `tollgate-drill-${run}@drill.tollgate.invalid`,
    [crm.firstNameField]: "Tollgate",
    [crm.lastNameField]: `Drill ${run}`,
    [crm.titleField]: "Drill analyst",
  };
}
