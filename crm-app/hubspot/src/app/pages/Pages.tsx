import { hubspot, useExtensionContext } from "@hubspot/ui-extensions";
import { createPageRouter, PageRoutes } from "@hubspot/ui-extensions/pages";
import { InboxPage } from "tollgate-hubspot-cards/pages/inbox-page";
import { SettingsPage } from "tollgate-hubspot-cards/pages/settings-page";

/**
 * The app's pages (2025.2 `pages` component): the home page is the approval inbox; `/settings` is
 * the RevOps view, also the app's settings page. The pages themselves live with the cards and are
 * shared through the npm workspace of `src/app` (crm-app/README.md).
 */
function Home() {
  return <InboxPage context={useExtensionContext<"pages">()} />;
}
function Settings() {
  return <SettingsPage context={useExtensionContext<"pages">()} />;
}

const PageRouter = createPageRouter(
  <PageRoutes>
    <PageRoutes.IndexRoute component={Home} id="inbox" />
    <PageRoutes.Route path="/settings" component={Settings} id="settings" />
  </PageRoutes>,
);

hubspot.extend<"pages">(() => <PageRouter />);
