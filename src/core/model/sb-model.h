/* sb-model.h — the domain model, GTK-free
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sb-model-types.h"
#include "sb-model-enums.h"
#include "sb-account.h"
#include "sb-audit-event.h"
#include "sb-citizen.h"
#include "sb-consent.h"
#include "sb-decision.h"
#include "sb-document.h"
#include "sb-identity-confirmation.h"
#include "sb-identity-document.h"
#include "sb-message.h"
#include "sb-outbox-item.h"
#include "sb-page.h"
#include "sb-submission.h"
