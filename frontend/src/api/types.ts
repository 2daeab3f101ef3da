/** Short names for the API's schemas the screens use. */
import type { components } from "./schema";

type Schemas = components["schemas"];

export type Place = Schemas["DirectoryPlaceOut"];
export type PlaceInput = Schemas["DirectoryPlaceInput"];
export type SearchResults = Schemas["DirectorySearchResults"];
export type PlaceChange = Schemas["DirectoryPlaceChangeOut"];
export type Commune = Schemas["DirectoryCommuneOut"];
export type Me = Schemas["Me"];
export type User = Schemas["UserOut"];
export type UserCreated = Schemas["UserCreated"];
export type UserPage = Schemas["Page_UserOut_"];
export type PasswordToken = Schemas["PasswordToken"];
export type SiteInfo = Schemas["SiteInfo"];
export type ApiKey = Schemas["ApiKeyOut"];
export type ApiKeyCreated = Schemas["ApiKeyCreated"];
export type ApiKeyScope = Schemas["ApiKeyCreate"]["scopes"][number];
export type Role = Schemas["Role"];
export type Campaign = Schemas["SurveysCampaignOut"];
export type CampaignResults = Schemas["SurveysCampaignResults"];
export type SurveyResponse = Schemas["SurveysResponseOut"];
export type SurveyResponseSummary = Schemas["SurveysResponseSummary"];
export type PublicSurveyResponse = Schemas["SurveysPublicResponseOut"];
export type Radar = Schemas["SurveysRadarOut"];
export type SurveyPhase = Schemas["SurveysResponseOut"]["phase"];
export type Proposal = Schemas["DirectoryProposalOut"];
export type FreshnessRequest = Schemas["DirectoryRequestOut"];
export type ReportReason = Schemas["DirectoryReportReason"];
export type NetworkEvent = Schemas["NetworkEventOut"];
export type NetworkEventInput = Schemas["NetworkEventIn"];
export type NetworkPerson = Schemas["NetworkPersonOut"];
export type NetworkPersonInput = Schemas["NetworkPersonIn"];
export type NetworkTraining = Schemas["NetworkTrainingOut"];
export type NetworkRegistration = Schemas["NetworkRegistrationOut"];
export type Permanence = Schemas["DirectoryPermanenceOut"];
export type PermanenceInput = Schemas["DirectoryPermanenceIn"];
