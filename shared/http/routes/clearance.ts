// What happens after lodgement: payments, holds, decisions, returns and the single window
// (functions/clearance).
import { defineRoute } from '../contract.js';
import {
  AgencyHoldListSchema,
  AgencyHoldsQuerySchema,
  DecisionRequestSchema,
  DecisionResponseSchema,
  HoldRequestSchema,
  HoldResponseSchema,
  LiftRequestSchema,
  PaymentRequestSchema,
  PaymentResponseSchema,
  RefundResponseSchema,
  ReturnRequestSchema,
} from '../schemas/clearance.js';
import { ProblemSchema } from '../schemas/declarations.js';

export const clearanceRoutes = {
  payment: defineRoute({
    method: 'POST',
    path: '/v1/declarations/{id}/payments',
    function: 'clearance',
    roles: ['platform', 'officer'],
    summary: 'Record duty and tax paid at import',
    description:
      'For CONSUMER_AT_IMPORT declarations (platform: its own; officer: any). Partial payments add up; the declaration ' +
      'is released once nothing is due, no hold stands and no check is open. A payment above the amount due is refused ' +
      '(422 with `amountDue`), so is a currency other than the assessment currency (422 with `currency`). The same ' +
      '`reference` again answers 200 with the payment already recorded; with another amount, 409.',
    tag: 'Clearance',
    body: { schema: PaymentRequestSchema, name: 'payment' },
    responses: {
      201: { description: 'Recorded', schema: PaymentResponseSchema },
      200: { description: 'Recorded before under this reference', schema: PaymentResponseSchema },
      409: {
        description: 'Closed or not yet assessed (`currentStatus`), or the reference was used',
        schema: ProblemSchema,
      },
      422: {
        description: 'More than is due (`amountDue`) or another currency (`currency`)',
        schema: ProblemSchema,
      },
    },
  }),
  hold: defineRoute({
    method: 'POST',
    path: '/v1/declarations/{id}/holds',
    function: 'clearance',
    roles: ['officer', 'agency'],
    summary: 'Hold a declaration (customs or a single-window agency)',
    description:
      'An agency holds for itself only (`agency` defaults to the caller; another code is 403) and may hold any ' +
      'declaration it names; the declaration is then routed to it (visible to it, listed in its holds). An officer ' +
      'places a customs hold, or routes the declaration to an agency with `agency`. The declaration is HELD until ' +
      'every hold is lifted. The same standing hold again answers 200 with it.',
    tag: 'Clearance',
    body: { schema: HoldRequestSchema, name: 'hold' },
    responses: {
      201: { description: 'Placed', schema: HoldResponseSchema },
      200: { description: 'The same hold already stands', schema: HoldResponseSchema },
      409: {
        description: 'The declaration is closed; `currentStatus` names its status',
        schema: ProblemSchema,
      },
    },
  }),
  liftHold: defineRoute({
    method: 'POST',
    path: '/v1/declarations/{id}/holds/{holdId}/lift',
    function: 'clearance',
    roles: ['officer', 'agency'],
    summary: 'Lift a hold',
    description:
      'A hold for an agency is lifted only by that agency, a customs hold only by an officer (403 otherwise); an ' +
      'agency that has no hold on the declaration gets 404, as for reading it. The release rules then run again: the ' +
      'declaration is released when no hold stands, no check is open and nothing is due. Lifting twice answers 200. ' +
      'An optional `note` (what the check found) is kept on the hold.',
    tag: 'Clearance',
    body: { schema: LiftRequestSchema, required: false, name: 'lift' },
    responses: { 200: { description: 'Lifted', schema: HoldResponseSchema } },
  }),
  decision: defineRoute({
    method: 'POST',
    path: '/v1/declarations/{id}/decisions',
    function: 'clearance',
    roles: ['officer'],
    summary: "Close a risk check with the officer's decision",
    description:
      'RELEASE (on a HELD declaration) lets it go once no hold stands and nothing is due; REJECT and SEIZE are final ' +
      '(a seizure is announced as DeclarationRejected with status SEIZED). `findings` are kept per risk profile that ' +
      "hit and counted in the profile's statistics (checks, confirmed). A later decision replaces the findings of an " +
      'earlier one; the same decision again changes nothing.',
    tag: 'Clearance',
    body: { schema: DecisionRequestSchema, name: 'decision' },
    responses: {
      200: { description: 'Decided', schema: DecisionResponseSchema },
      409: {
        description: 'No check can be decided in the current status (`currentStatus`)',
        schema: ProblemSchema,
      },
      422: {
        description: 'A finding names a profile that did not hit the declaration',
        schema: ProblemSchema,
      },
    },
  }),
  returnGoods: defineRoute({
    method: 'POST',
    path: '/v1/declarations/{id}/returns',
    function: 'clearance',
    roles: ['platform'],
    summary: 'Report goods returned after release: refund of duty and tax',
    description:
      'Refunds the duty and tax collected at import for the returned lines (all lines not returned before when ' +
      '`items` is absent), booked as REFUNDED ledger entries and announced as RefundIssued. Fees and tax collected ' +
      'at checkout are not refunded here. A duty line of an HS code is shared among the lines of that code, other ' +
      'lines among all lines, by value; the last return of a line gets what is left, so refunds add up exactly. ' +
      'Refused (409) before release and for a line returned before. The same `reference` again answers 200.',
    tag: 'Clearance',
    body: { schema: ReturnRequestSchema, name: 'return' },
    responses: {
      201: { description: 'Refund recorded', schema: RefundResponseSchema },
      200: { description: 'Recorded before under this reference', schema: RefundResponseSchema },
      409: {
        description: 'Not released (`currentStatus`), or a line was returned before',
        schema: ProblemSchema,
      },
    },
  }),
  agencyHolds: defineRoute({
    method: 'GET',
    path: '/v1/holds',
    function: 'clearance',
    roles: ['agency', 'officer'],
    summary: 'List the holds routed to an agency (the single window)',
    description:
      'An agency lists its own holds; an officer names the agency with `agency`. Newest first, standing holds unless ' +
      "`state` says LIFTED or ALL, each with the declaration's current status. The list follows the HoldPlaced and " +
      'HoldLifted events, so a hold appears within moments of being placed.',
    tag: 'Clearance',
    query: AgencyHoldsQuerySchema,
    responses: { 200: { description: 'A page of holds', schema: AgencyHoldListSchema } },
  }),
};
