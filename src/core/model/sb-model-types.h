/* sb-model-types.h — the domain's enumerations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The numeric values are stored in the local store: append, never renumber.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The sex marker of ICAO 9303 (and of German documents since 2019). */
typedef enum
{
  SB_SEX_UNSPECIFIED, /*< nick=unspecified >*/
  SB_SEX_FEMALE,      /*< nick=F >*/
  SB_SEX_MALE,        /*< nick=M >*/
  SB_SEX_DIVERSE,     /*< nick=X >*/
} SbSex;

typedef enum
{
  SB_IDENTITY_DOCUMENT_PASSPORT,
  SB_IDENTITY_DOCUMENT_ID_CARD,
  SB_IDENTITY_DOCUMENT_RESIDENCE_PERMIT,
  SB_IDENTITY_DOCUMENT_ARRIVAL_CERTIFICATE,
  SB_IDENTITY_DOCUMENT_OTHER,
} SbIdentityDocumentKind;

typedef enum
{
  SB_CONFIRMATION_METHOD_MRZ,
  SB_CONFIRMATION_METHOD_VISUAL,
  SB_CONFIRMATION_METHOD_EID,
} SbConfirmationMethod;

typedef enum
{
  SB_ACCOUNT_STATE_LOCAL,
  SB_ACCOUNT_STATE_QUEUED,
  SB_ACCOUNT_STATE_CREATED,
  SB_ACCOUNT_STATE_CONFLICT,
} SbAccountState;

typedef enum
{
  SB_SUBMISSION_STATE_DRAFT,
  SB_SUBMISSION_STATE_QUEUED,
  SB_SUBMISSION_STATE_DELIVERED,
  SB_SUBMISSION_STATE_REJECTED,
} SbSubmissionState;

/* FIM code list C60000030 "Vertretung": the value is the code's number. */
typedef enum
{
  SB_REPRESENTATION_NONE = 1,                 /*< nick=001 >*/
  SB_REPRESENTATION_LEGAL_REPRESENTATIVE = 2, /*< nick=002 >*/
  SB_REPRESENTATION_AUTHORISED_PERSON = 4,    /*< nick=004 >*/
} SbRepresentation;

typedef enum
{
  SB_MESSAGE_INCOMING,
  SB_MESSAGE_OUTGOING,
} SbMessageDirection;

typedef enum
{
  SB_CONSENT_DATA_PROCESSING,
  SB_CONSENT_REPRESENTATION,
} SbConsentKind;

typedef enum
{
  SB_OUTBOX_STATE_WAITING,
  SB_OUTBOX_STATE_SENDING,
  SB_OUTBOX_STATE_DELIVERED,
  SB_OUTBOX_STATE_NEEDS_ATTENTION,
  SB_OUTBOX_STATE_DISCARDED,       /* a person decided it is not to be sent */
} SbOutboxState;

gboolean sb_partial_date_is_valid (const char *date);

G_END_DECLS
