/**
 * Where Salesforce keeps field history for an object: `LeadHistory.LeadId`,
 * `OpportunityFieldHistory.OpportunityId` (`OpportunityHistory` is the separate stage history),
 * `Foo__History.ParentId` for a custom object.
 */
export function historyObjectOf(objectType: string): { object: string; parentField: string } {
  if (objectType === "Opportunity") return { object: "OpportunityFieldHistory", parentField: "OpportunityId" };
  if (objectType.endsWith("__c")) return { object: `${objectType.slice(0, -3)}__History`, parentField: "ParentId" };
  return { object: `${objectType}History`, parentField: `${objectType}Id` };
}
