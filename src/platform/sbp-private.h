/* sbp-private.h: what the platform's handlers share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sodium.h>

#include "sb-json-schema.h"
#include "sbp-db.h"
#include "sbp-server.h"

G_BEGIN_DECLS

#define SBP_PROBLEM_BASE "https://servicebuero.github.io/problems/"
#define SBP_MAX_JSON_BODY   (1 * 1024 * 1024)  /* a form with its metadata */
#define SBP_MAX_JSON_DEPTH  32
#define SBP_MAX_STRING      4096
#define SBP_MAX_UPLOAD      (64 * 1024 * 1024) /* one document of hundreds of pages */
#define SBP_MAX_CHUNK       (SBP_MAX_UPLOAD)
#define SBP_UPLOAD_LIFETIME (24 * 3600)
#define SBP_ACCESS_LIFETIME (3600)
#define SBP_REFRESH_LIFETIME (30 * 24 * 3600)
#define SBP_CLIENT_ID "servicebuero"

typedef struct
{
  char *id;
  char *username;
  char *display_name;
  char *office;
} SbpStaff;

typedef struct
{
  SbpServer         *server;
  SoupServerMessage *msg;
  const char        *method;
  char             **segments;   /* the path split at '/', without the empty first */
  guint              n_segments;
  GHashTable        *query;
  SbpStaff          *staff;
  gboolean           no_wait;    /* a long poll's answer: say what there is */
  gboolean           resumed;    /* deferred with sbp_server_defer() and now going on */
} SbpRequest;

typedef enum
{
  SBP_FAULT_NONE,
  SBP_FAULT_DROP_BEFORE,
  SBP_FAULT_DROP_AFTER,
  SBP_FAULT_UNAVAILABLE,
  SBP_FAULT_TOO_MANY,
} SbpFault;

struct _SbpServer
{
  GObject           parent_instance;

  char             *data_dir;
  char             *uploads_dir;
  sqlite3          *db;
  SoupServer       *soup;
  char             *url;
  JsonNode         *catalogue;
  char             *catalogue_etag;
  JsonNode         *account_schema;
  JsonNode         *submission_schema;
  guchar            sign_public[crypto_sign_PUBLICKEYBYTES];
  guchar            sign_secret[crypto_sign_SECRETKEYBYTES];
  char             *key_id;

  /* --faults */
  double            fault_rates[5];
  double            delay_rate;
  guint             slow_commit_ms;
  guint             delay_ms;
  GRand            *fault_rand;

  gboolean          log_requests;
  gint64            access_lifetime;   /* seconds; shorter in tests */
  gint64            upload_lifetime;
  guint             demo_source;
  guint             demo_pace;

  GHashTable       *uploads_busy;    /* ids of uploads a PATCH is writing */
  GHashTable       *upload_hashes;   /* id → SbpUploadHash, SHA-256 as the data comes */

  GPtrArray        *event_waiters;   /* SbpWaiter */
  guint             event_poll_source;
  gint64            last_event_cursor;
};

/* sbp-server.c */
void      sbp_respond_json           (SbpRequest        *request,
                                      guint              status,
                                      JsonNode          *body);
void      sbp_respond_problem        (SbpRequest        *request,
                                      guint              status,
                                      const char        *type,
                                      const char        *title,
                                      const char        *detail,
                                      JsonObject        *extensions);
void      sbp_respond_empty          (SbpRequest        *request,
                                      guint              status);
JsonNode *sbp_read_json              (SbpRequest        *request,
                                      JsonNode          *schema);
JsonNode *sbp_parse_json             (const char        *text);
char     *sbp_to_json                (JsonNode          *node);
const char *sbp_header               (SbpRequest        *request,
                                      const char        *name);
gboolean  sbp_require_staff          (SbpRequest        *request);
void      sbp_staff_free             (SbpStaff          *staff);
SbpStaff *sbp_staff_load             (sqlite3           *db,
                                      const char        *id);
void      sbp_server_wait_for_events (SbpRequest        *request,
                                      gint64             after,
                                      guint              seconds);
SbpRequest *sbp_request_keep          (SbpRequest        *request);
void      sbp_request_release        (SbpRequest        *kept,
                                      gboolean           answer);
void      sbp_server_defer           (SbpRequest        *request,
                                      guint              milliseconds,
                                      void             (*resume) (SbpRequest *request));
JsonNode *sbp_event_new              (const char        *type,
                                      const char        *submission_id,
                                      const char        *at,
                                      ...) G_GNUC_NULL_TERMINATED;
void      sbp_emit_event             (SbpServer         *self,
                                      const char        *office,
                                      const char        *submission_id,
                                      JsonNode          *event);
JsonNode *sbp_problem_errors_node    (GPtrArray         *errors,
                                      const char        *prefix);

/* sbp-oauth.c */
gboolean  sbp_handle_oauth           (SbpRequest        *request);
SbpStaff *sbp_staff_from_bearer      (SbpServer         *self,
                                      const char        *authorization,
                                      gboolean          *expired);

/* sbp-accounts.c */
void      sbp_handle_accounts        (SbpRequest        *request);
void      sbp_handle_activation      (SbpRequest        *request);
void      sbp_handle_activation_page (SbpRequest        *request);
void      sbp_handle_status_page     (SbpRequest        *request);

/* sbp-catalogue.c */
gboolean  sbp_catalogue_load         (SbpServer         *self,
                                      GError           **error);
void      sbp_handle_services        (SbpRequest        *request);
JsonObject *sbp_catalogue_find       (SbpServer         *self,
                                      const char        *service_id);

/* sbp-uploads.c */
void      sbp_upload_hash_free       (gpointer           hash);
char     *sbp_upload_metadata_get    (const char        *metadata,
                                      const char        *key);
void      sbp_handle_uploads         (SbpRequest        *request);
void      sbp_uploads_expire         (SbpServer         *self);
char     *sbp_upload_path            (SbpServer         *self,
                                      const char        *id);

/* sbp-submissions.c */
void      sbp_handle_submissions     (SbpRequest        *request);
void      sbp_handle_events          (SbpRequest        *request);
void      sbp_handle_keys            (SbpRequest        *request);
gboolean  sbp_keys_load              (SbpServer         *self,
                                      GError           **error);

/* sbp-caseworker.c */
gboolean  sbp_caseworker_set_status  (SbpServer         *self,
                                      const char        *submission_id,
                                      const char        *status,
                                      GError           **error);
gboolean  sbp_caseworker_ask         (SbpServer         *self,
                                      const char        *submission_id,
                                      const char        *text,
                                      GError           **error);
gboolean  sbp_caseworker_decide      (SbpServer         *self,
                                      const char        *submission_id,
                                      gboolean           accepted,
                                      const char        *reason,
                                      GError           **error);
void      sbp_caseworker_demo_step   (SbpServer         *self);
SbpServer *sbp_server_new_offline    (const char        *data_dir,
                                      GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbpStaff, sbp_staff_free)

G_END_DECLS
