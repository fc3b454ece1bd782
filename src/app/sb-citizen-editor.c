/* sb-citizen-editor.c — one citizen: details, identity document, consent, account
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The form works on a copy of the citizen; Save writes it to the store in a
 * worker thread and, for someone new, queues their online account — after
 * asking the platform whether the person has one already, when it can be
 * reached. A scanned document's machine-readable zone fills what is empty
 * and marks what differs from what was typed; a failed check digit is
 * shown, and the identity is then confirmed "by eye", never "by MRZ".
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sb-citizen-editor.h"
#include "sb-citizen-letter.h"
#include "sb-countries.h"
#include "sb-field-check.h"
#include "sb-mrz-reader.h"
#include "sb-print.h"
#include "sb-scan-job.h"
#include "sb-submission-ui.h"
#include "sb-transliterate.h"

struct _SbCitizenEditor
{
  GtkWidget           parent_instance;

  GtkLabel           *heading;
  GtkButton          *save_button;
  GtkScrolledWindow  *scroller;
  AdwEntryRow        *family_row;
  AdwEntryRow        *given_row;
  AdwEntryRow        *family_latin_row;
  AdwEntryRow        *given_latin_row;
  AdwEntryRow        *birth_row;
  AdwComboRow        *sex_row;
  GtkDropDown        *nationality_dropdown;
  AdwComboRow        *document_kind_row;
  AdwEntryRow        *document_number_row;
  AdwEntryRow        *issuing_state_row;
  AdwEntryRow        *expiry_row;
  AdwActionRow       *confirmation_row;
  GtkButton          *confirm_button;
  GtkLabel           *mrz_status;
  GtkSpinner         *mrz_spinner;
  GtkWidget          *take_mrz_button;
  AdwEntryRow        *street_row;
  AdwEntryRow        *postal_code_row;
  AdwEntryRow        *city_row;
  AdwEntryRow        *email_row;
  AdwEntryRow        *phone_row;
  AdwComboRow        *language_row;
  GtkSwitch          *consent_data_switch;
  GtkSwitch          *consent_representation_switch;
  AdwPreferencesGroup *account_group;
  AdwActionRow       *account_row;
  GtkLabel           *family_error;
  GtkLabel           *given_error;
  GtkLabel           *family_latin_error;
  GtkLabel           *given_latin_error;
  GtkLabel           *birth_error;
  GtkLabel           *document_number_error;
  GtkLabel           *expiry_error;
  GtkLabel           *postal_code_error;
  GtkLabel           *email_error;
  GtkLabel           *phone_error;

  SbStore            *store;
  SbSyncService      *sync_service;
  GSettings          *settings;
  GCancellable       *cancellable;     /* cancelled when the form is closed or shows another citizen */
  SbCitizen          *citizen;         /* the working copy */
  gboolean            is_new;
  char               *platform_account_id;  /* adopted from the platform's search */
  SbAccount          *account;
  char               *activation_code;
  char               *activation_expires;
  SbMrz              *mrz;             /* the last zone read */
  SbScanJob          *scan_job;
  char               *auto_family_latin;
  char               *auto_given_latin;
  gboolean            dirty;
  gboolean            loading;
  gboolean            tried_to_save;
  gboolean            busy;
};

G_DEFINE_FINAL_TYPE (SbCitizenEditor, sb_citizen_editor, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_DIRTY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_DONE,
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update_actions (SbCitizenEditor *self);
static void validate (SbCitizenEditor *self, GtkWidget **first_invalid);
static void update_account (SbCitizenEditor *self);

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static char *
row_value (AdwEntryRow *row)
{
  g_autofree char *text = g_strstrip (g_strdup (row_text (row)));

  return text[0] != '\0' ? g_steal_pointer (&text) : NULL;
}

static void
set_row (AdwEntryRow *row,
         const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}

static char *
iso_to_german (const char *iso)
{
  if (iso == NULL)
    return NULL;
  switch (strlen (iso))
    {
    case 4:
      return g_strdup (iso);
    case 7:
      return g_strdup_printf ("%.2s.%.4s", iso + 5, iso);
    case 10:
      return g_strdup_printf ("%.2s.%.2s.%.4s", iso + 8, iso + 5, iso);
    default:
      return g_strdup (iso);
    }
}

static void
set_dirty (SbCitizenEditor *self,
           gboolean         dirty)
{
  if (self->dirty == dirty)
    return;
  self->dirty = dirty;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRTY]);
}

static void
toast (SbCitizenEditor *self,
       const char      *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  /* Ctrl+S pressed again on a form with faults replaces the message. */
  if (overlay != NULL)
    sb_ui_toast (ADW_TOAST_OVERLAY (overlay), message);
}

/* Countries: the dropdown lists them in German order; index ↔ code. */

static guint
country_index (const char *alpha3)
{
  GPtrArray *countries = sb_countries ();

  for (guint i = 0; alpha3 != NULL && i < countries->len; i++)
    if (g_str_equal (((SbCountry *)g_ptr_array_index (countries, i))->alpha3, alpha3))
      return i + 1;
  return 0;
}

static const char *
selected_country (SbCitizenEditor *self)
{
  guint selected = gtk_drop_down_get_selected (self->nationality_dropdown);
  GPtrArray *countries = sb_countries ();

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION || selected > countries->len)
    return NULL;
  return ((SbCountry *)g_ptr_array_index (countries, selected - 1))->alpha3;
}

static const char *
selected_language (SbCitizenEditor *self)
{
  guint n;
  const SbCitizenLanguage *languages = sb_citizen_languages (&n);
  guint selected = adw_combo_row_get_selected (self->language_row);

  return selected < n ? languages[selected].code : "de";
}

/* Errors under their field, and on it for screen readers. */

static void
show_error (AdwEntryRow *row,
            GtkLabel    *label,
            const char  *message,
            GtkWidget  **first_invalid)
{
  gboolean invalid = message != NULL;
  g_autoptr(GString) text = g_string_new (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));

  /* The errors stand below the group's rows: each names its field. */
  g_string_replace (text, "_", "", 0);
  if (message != NULL)
    g_string_append_printf (text, ": %s", message);
  gtk_label_set_label (label, invalid ? text->str : "");
  gtk_widget_set_visible (GTK_WIDGET (label), invalid);
  if (invalid)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID,
                               invalid ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  message != NULL ? message : "", -1);
  if (invalid && first_invalid != NULL && *first_invalid == NULL)
    *first_invalid = GTK_WIDGET (row);
}

static char *
check_expiry (const char *typed)
{
  g_autofree char *iso = NULL;

  if (typed == NULL || typed[0] == '\0')
    return NULL;
  iso = sb_parse_birth_date (typed);
  if (iso == NULL || strlen (iso) != 10)
    return g_strdup (_("Type the date the document is valid until as day.month.year, e.g. 31.12.2030."));
  return NULL;
}

static char *
check_document_number (const char *number)
{
  if (number == NULL || number[0] == '\0')
    return NULL;
  for (const char *p = number; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p))
      return g_strdup (_("A document number has letters and digits only, as printed (no spaces)."));
  if (strlen (number) > 20)
    return g_strdup (_("A document number has at most 20 characters."));
  return NULL;
}

static void
validate (SbCitizenEditor *self,
          GtkWidget      **first_invalid)
{
  gboolean required = self->tried_to_save;
  g_autofree char *family = sb_check_name (row_text (self->family_row), required);
  g_autofree char *given = sb_check_name (row_text (self->given_row), required);
  g_autofree char *family_latin = sb_check_name (row_text (self->family_latin_row), FALSE);
  g_autofree char *given_latin = sb_check_name (row_text (self->given_latin_row), FALSE);
  g_autofree char *birth = sb_check_birth_date (row_text (self->birth_row));
  g_autofree char *number = check_document_number (row_text (self->document_number_row));
  g_autofree char *expiry = check_expiry (row_text (self->expiry_row));
  g_autofree char *postal = sb_check_postal_code ("DEU", row_text (self->postal_code_row));
  g_autofree char *email = sb_check_email (row_text (self->email_row));
  g_autofree char *phone = sb_check_phone (row_text (self->phone_row));

  if (birth == NULL && required && row_text (self->birth_row)[0] == '\0')
    birth = g_strdup (_("The birth date is needed for the account. When only the year is known, type the year."));

  show_error (self->family_row, self->family_error, family, first_invalid);
  show_error (self->given_row, self->given_error, given, first_invalid);
  show_error (self->family_latin_row, self->family_latin_error, family_latin, first_invalid);
  show_error (self->given_latin_row, self->given_latin_error, given_latin, first_invalid);
  show_error (self->birth_row, self->birth_error, birth, first_invalid);
  show_error (self->document_number_row, self->document_number_error, number, first_invalid);
  show_error (self->expiry_row, self->expiry_error, expiry, first_invalid);
  show_error (self->postal_code_row, self->postal_code_error, postal, first_invalid);
  show_error (self->email_row, self->email_error, email, first_invalid);
  show_error (self->phone_row, self->phone_error, phone, first_invalid);
}

/* The Latin form follows the name until the clerk types their own. */
static void
follow_transliteration (AdwEntryRow  *latin_row,
                        char        **auto_value,
                        const char   *name)
{
  g_autofree char *latin = sb_transliterate_latin (name);
  const char *current = row_text (latin_row);

  if (current[0] != '\0' && g_strcmp0 (current, *auto_value) != 0)
    return;
  g_free (*auto_value);
  *auto_value = g_strdup (latin != NULL ? latin : "");
  set_row (latin_row, *auto_value);
}

static void
on_field_changed (SbCitizenEditor *self,
                  GObject         *row)
{
  if (self->loading)
    return;
  if (row == G_OBJECT (self->family_row))
    follow_transliteration (self->family_latin_row, &self->auto_family_latin, row_text (self->family_row));
  else if (row == G_OBJECT (self->given_row))
    follow_transliteration (self->given_latin_row, &self->auto_given_latin, row_text (self->given_row));
  set_dirty (self, TRUE);
  validate (self, NULL);
  update_actions (self);
}

/* What the form shows, from the working copy. */
static void
load (SbCitizenEditor *self)
{
  SbCitizen *c = self->citizen;
  g_autofree char *birth = iso_to_german (sb_citizen_get_birth_date (c));
  GListModel *documents = sb_citizen_get_identity_documents (c);
  guint n_documents = g_list_model_get_n_items (documents);
  GListModel *consents = sb_citizen_get_consents (c);
  gboolean data = FALSE, representation = FALSE;
  guint n_languages;
  const SbCitizenLanguage *languages = sb_citizen_languages (&n_languages);

  self->loading = TRUE;
  set_row (self->family_row, sb_citizen_get_family_name (c));
  set_row (self->given_row, sb_citizen_get_given_names (c));
  set_row (self->family_latin_row, sb_citizen_get_family_name_latin (c));
  set_row (self->given_latin_row, sb_citizen_get_given_names_latin (c));
  g_free (self->auto_family_latin);
  g_free (self->auto_given_latin);
  self->auto_family_latin = g_strdup (sb_citizen_get_family_name_latin (c));
  self->auto_given_latin = g_strdup (sb_citizen_get_given_names_latin (c));
  set_row (self->birth_row, birth);
  adw_combo_row_set_selected (self->sex_row, sb_citizen_get_sex (c));
  gtk_drop_down_set_selected (self->nationality_dropdown, country_index (sb_citizen_get_nationality (c)));
  set_row (self->street_row, sb_citizen_get_street (c));
  set_row (self->postal_code_row, sb_citizen_get_postal_code (c));
  set_row (self->city_row, sb_citizen_get_city (c));
  set_row (self->email_row, sb_citizen_get_email (c));
  set_row (self->phone_row, sb_citizen_get_phone (c));
  adw_combo_row_set_selected (self->language_row, 0);
  for (guint i = 0; i < n_languages; i++)
    if (g_strcmp0 (languages[i].code, sb_citizen_get_preferred_language (c)) == 0)
      adw_combo_row_set_selected (self->language_row, i);

  if (n_documents > 0)
    {
      g_autoptr(SbIdentityDocument) document = g_list_model_get_item (documents, n_documents - 1);
      g_autofree char *expiry = iso_to_german (sb_identity_document_get_expiry_date (document));

      adw_combo_row_set_selected (self->document_kind_row, sb_identity_document_get_kind (document));
      set_row (self->document_number_row, sb_identity_document_get_number (document));
      set_row (self->issuing_state_row, sb_identity_document_get_issuing_state (document));
      set_row (self->expiry_row, expiry);
    }
  else
    {
      adw_combo_row_set_selected (self->document_kind_row, SB_IDENTITY_DOCUMENT_PASSPORT);
      set_row (self->document_number_row, NULL);
      set_row (self->issuing_state_row, NULL);
      set_row (self->expiry_row, NULL);
    }

  for (guint i = 0; i < g_list_model_get_n_items (consents); i++)
    {
      g_autoptr(SbConsent) consent = g_list_model_get_item (consents, i);

      data |= sb_consent_get_kind (consent) == SB_CONSENT_DATA_PROCESSING;
      representation |= sb_consent_get_kind (consent) == SB_CONSENT_REPRESENTATION;
    }
  gtk_switch_set_active (self->consent_data_switch, data);
  gtk_switch_set_active (self->consent_representation_switch, representation);
  self->loading = FALSE;
}

static char *
describe_confirmation (SbIdentityConfirmation *confirmation)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (sb_identity_confirmation_get_confirmed_at (confirmation));
  g_autofree char *when = g_date_time_format (at, "%d.%m.%Y %H:%M");
  const char *how = sb_identity_confirmation_get_method (confirmation) == SB_CONFIRMATION_METHOD_MRZ
                      ? _("machine-readable zone, all check digits passed")
                      : _("checked by eye, typed by hand");

  /* Translators: document number, how it was checked, staff member, date and time */
  return g_strdup_printf (_("Confirmed with document %s (%s) by %s, %s"),
                          sb_identity_confirmation_get_document_number (confirmation), how,
                          sb_identity_confirmation_get_staff (confirmation), when);
}

static void
update_confirmation (SbCitizenEditor *self)
{
  GListModel *confirmations = sb_citizen_get_confirmations (self->citizen);
  guint n = g_list_model_get_n_items (confirmations);

  if (n == 0)
    adw_action_row_set_subtitle (self->confirmation_row, _("Not confirmed yet"));
  else
    {
      g_autoptr(SbIdentityConfirmation) last = g_list_model_get_item (confirmations, n - 1);
      g_autofree char *text = describe_confirmation (last);

      adw_action_row_set_subtitle (self->confirmation_row, text);
    }
}

static void
update_heading (SbCitizenEditor *self)
{
  g_autofree char *name = NULL;

  if (self->is_new && self->platform_account_id == NULL)
    {
      gtk_label_set_label (self->heading, _("New Citizen"));
      gtk_button_set_label (self->save_button, _("Save and Create Account"));
      return;
    }
  name = g_strdup_printf ("%s %s", sb_citizen_get_given_names (self->citizen) ?: "",
                          sb_citizen_get_family_name (self->citizen) ?: "");
  gtk_label_set_label (self->heading, g_strstrip (name));
  gtk_button_set_label (self->save_button, _("Save"));
}

static void
update_actions (SbCitizenEditor *self)
{
  gboolean has_number = row_text (self->document_number_row)[0] != '\0';

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "citizen.save", !self->busy && self->store != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "citizen.confirm-identity", has_number);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "citizen.scan-document", self->scan_job == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "citizen.open-document", self->scan_job == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "citizen.print-letter", self->activation_code != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "citizen.new-application",
                                 self->citizen != NULL && !self->is_new && !self->busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "citizen.renew-activation",
                                 !self->busy && self->account != NULL && self->sync_service != NULL &&
                                 sb_account_get_state (self->account) == SB_ACCOUNT_STATE_CREATED);
}

/* The citizen is saved (so nothing typed is lost and the application has
 * someone to belong to); the window then opens the Submissions area. */
static void
new_application (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SbCitizenEditor *self = SB_CITIZEN_EDITOR (widget);

  if (self->citizen == NULL || self->is_new)
    return;
  if (sb_citizen_editor_get_dirty (self))
    {
      toast (self, _("Save the changes first (Ctrl+S), then file the application."));
      return;
    }
  gtk_widget_activate_action (widget, "win.new-application", "s", sb_citizen_get_id (self->citizen));
}

/**
 * sb_citizen_editor_get_saved_id:
 *
 * Returns: (nullable): the citizen's id once they are in the store
 */
const char *
sb_citizen_editor_get_saved_id (SbCitizenEditor *self)
{
  g_return_val_if_fail (SB_IS_CITIZEN_EDITOR (self), NULL);

  return self->citizen != NULL && !self->is_new ? sb_citizen_get_id (self->citizen) : NULL;
}

static void
sb_citizen_editor_dispose (GObject *object)
{
  SbCitizenEditor *self = SB_CITIZEN_EDITOR (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->scan_job);
  g_clear_object (&self->store);
  g_clear_object (&self->sync_service);
  g_clear_object (&self->settings);
  g_clear_object (&self->citizen);
  g_clear_object (&self->account);
  g_clear_pointer (&self->mrz, sb_mrz_free);
  g_clear_pointer (&self->platform_account_id, g_free);
  g_clear_pointer (&self->auto_family_latin, g_free);
  g_clear_pointer (&self->auto_given_latin, g_free);
  if (self->activation_code != NULL)
    memset (self->activation_code, 0, strlen (self->activation_code));
  g_clear_pointer (&self->activation_code, g_free);
  g_clear_pointer (&self->activation_expires, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (object), SB_TYPE_CITIZEN_EDITOR);
  /* The template's outermost child has no name to be disposed by. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (sb_citizen_editor_parent_class)->dispose (object);
}

static void
sb_citizen_editor_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SbCitizenEditor *self = SB_CITIZEN_EDITOR (object);

  switch (prop_id)
    {
    case PROP_DIRTY:
      g_value_set_boolean (value, self->dirty);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The machine-readable zone */

/* "ANNA MARIA" as a person writes it: "Anna Maria". */
static char *
title_case (const char *upper)
{
  char *text = g_strdup (upper != NULL ? upper : "");
  gboolean word_start = TRUE;

  for (char *p = text; *p != '\0'; p++)
    {
      if (!word_start)
        *p = g_ascii_tolower (*p);
      word_start = *p == ' ' || *p == '-';
    }
  return text;
}

/* Empty fields get the document's values; fields that differ are marked
 * and listed. Returns the list of differences in words. */
static GString *
apply_mrz (SbCitizenEditor *self,
           gboolean         overwrite)
{
  const SbMrz *mrz = self->mrz;
  g_autofree char *birth = iso_to_german (mrz->birth_date);
  g_autofree char *expiry = iso_to_german (mrz->expiry_date);
  g_autofree char *issuing = sb_mrz_country_to_alpha3 (mrz->issuing_state);
  g_autofree char *nationality = sb_mrz_country_to_alpha3 (mrz->nationality);
  const char *code = mrz->document_code != NULL ? mrz->document_code : "";
  GString *differences = g_string_new (NULL);
  /* A name is compared in its Latin form where one is typed, else as typed. */
  AdwEntryRow *family_row = row_text (self->family_latin_row)[0] != '\0' ? self->family_latin_row : self->family_row;
  AdwEntryRow *given_row = row_text (self->given_latin_row)[0] != '\0' ? self->given_latin_row : self->given_row;
  g_autofree char *family = title_case (mrz->family_name);
  g_autofree char *given = title_case (mrz->given_names);
  struct
  {
    const char  *label;
    AdwEntryRow *row;
    const char  *value;
    gboolean     is_name;
  } fields[] = {
    { _("Family name"), family_row, family, TRUE },
    { _("Given names"), given_row, given, TRUE },
    { _("Birth date"), self->birth_row, birth, FALSE },
    { _("Document number"), self->document_number_row, mrz->document_number, FALSE },
    { _("Issuing state"), self->issuing_state_row, issuing, FALSE },
    { _("Valid until"), self->expiry_row, expiry, FALSE },
  };

  self->loading = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const char *typed = row_text (fields[i].row);
      gboolean same;

      gtk_widget_remove_css_class (GTK_WIDGET (fields[i].row), "warning");
      if (fields[i].value == NULL || fields[i].value[0] == '\0')
        continue;
      if (typed[0] == '\0' || overwrite)
        {
          set_row (fields[i].row, fields[i].value);
          continue;
        }
      same = fields[i].is_name ? sb_transliterate_same_name (typed, fields[i].value, mrz->name_truncated)
                               : g_ascii_strcasecmp (typed, fields[i].value) == 0;
      if (!same)
        {
          gtk_widget_add_css_class (GTK_WIDGET (fields[i].row), "warning");
          /* Translators: a field's name, then what the document says */
          g_string_append_printf (differences, _("\n• %s: the document says “%s”"), fields[i].label, fields[i].value);
        }
    }

  if (nationality != NULL && nationality[0] != '\0')
    {
      guint index = country_index (nationality);

      if (gtk_drop_down_get_selected (self->nationality_dropdown) == 0 || overwrite)
        gtk_drop_down_set_selected (self->nationality_dropdown, index);
      else if (index != gtk_drop_down_get_selected (self->nationality_dropdown))
        g_string_append_printf (differences, _("\n• %s: the document says “%s”"), _("Nationality"), nationality);
      if (index == 0)
        g_string_append_printf (differences, _("\n• “%s” is no country code: choose the nationality by hand"),
                                nationality);
    }
  if (mrz->sex != 'X' && (adw_combo_row_get_selected (self->sex_row) == SB_SEX_UNSPECIFIED || overwrite))
    adw_combo_row_set_selected (self->sex_row, mrz->sex == 'F' ? SB_SEX_FEMALE : SB_SEX_MALE);

  if (code[0] == 'P')
    adw_combo_row_set_selected (self->document_kind_row, SB_IDENTITY_DOCUMENT_PASSPORT);
  else if (code[0] == 'A')
    adw_combo_row_set_selected (self->document_kind_row, SB_IDENTITY_DOCUMENT_RESIDENCE_PERMIT);
  else if (code[0] == 'I' || code[0] == 'C')
    adw_combo_row_set_selected (self->document_kind_row, SB_IDENTITY_DOCUMENT_ID_CARD);
  self->loading = FALSE;
  return differences;
}

/* After the next layout: the zone's result in view, with the rows it marked above it. */
static gboolean
scroll_to_mrz_status (gpointer user_data)
{
  g_autoptr(SbCitizenEditor) self = user_data;
  GtkWidget *content = gtk_scrolled_window_get_child (self->scroller);
  GtkAdjustment *vertical = gtk_scrolled_window_get_vadjustment (self->scroller);
  double x, y;

  if (content != NULL && gtk_widget_translate_coordinates (GTK_WIDGET (self->mrz_status), content, 0, 0, &x, &y))
    gtk_adjustment_clamp_page (vertical, MAX (y - 160, 0), y + gtk_widget_get_height (GTK_WIDGET (self->mrz_status)) + 60);
  return G_SOURCE_REMOVE;
}

static void
show_mrz (SbCitizenEditor *self)
{
  const SbMrz *mrz = self->mrz;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) differences = apply_mrz (self, FALSE);
  guint passed = 0, present = 0;

  for (guint i = 0; i < SB_MRZ_N_CHECKS; i++)
    if (mrz->checks[i].present)
      {
        present++;
        passed += mrz->checks[i].valid;
      }

  gtk_widget_remove_css_class (GTK_WIDGET (self->mrz_status), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->mrz_status), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->mrz_status), "warning");
  if (sb_mrz_is_valid (mrz))
    {
      g_string_printf (text, ngettext ("Read from the machine-readable zone (%s): the check digit passed.",
                                       "Read from the machine-readable zone (%s): all %u check digits passed.", present),
                       sb_mrz_format_name (mrz->format), present);
      gtk_widget_add_css_class (GTK_WIDGET (self->mrz_status), "success");
    }
  else
    {
      static const char *names[SB_MRZ_N_CHECKS] = { N_("document number"), N_("birth date"), N_("valid until"),
                                                    N_("personal number"), N_("whole zone") };

      g_string_printf (text, _("Check digits that do not match (%u of %u passed). Compare the document with the form "
                               "and correct what differs; the identity can then only be confirmed by eye:"),
                       passed, present);
      for (guint i = 0; i < SB_MRZ_N_CHECKS; i++)
        if (mrz->checks[i].present && !mrz->checks[i].valid)
          /* Translators: a field, the check digit printed on the document, the one calculated */
          g_string_append_printf (text, _("\n• %s: printed %c, calculated %c"), _(names[i]), mrz->checks[i].printed,
                                  mrz->checks[i].computed);
      if (mrz->birth_date == NULL)
        g_string_append (text, _("\n• The birth date in the zone is not a date."));
      gtk_widget_add_css_class (GTK_WIDGET (self->mrz_status), "error");
    }
  if (mrz->n_repairs > 0)
    g_string_append_printf (text, ngettext (" %u character was corrected by the zone’s rules.",
                                            " %u characters were corrected by the zone’s rules.", mrz->n_repairs),
                            mrz->n_repairs);
  if (differences->len > 0)
    {
      g_string_append (text, _("\nDiffers from what was typed (marked):"));
      g_string_append (text, differences->str);
      if (gtk_widget_has_css_class (GTK_WIDGET (self->mrz_status), "success"))
        {
          gtk_widget_remove_css_class (GTK_WIDGET (self->mrz_status), "success");
          gtk_widget_add_css_class (GTK_WIDGET (self->mrz_status), "warning");
        }
    }
  gtk_label_set_label (self->mrz_status, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->mrz_status), TRUE);
  gtk_widget_set_visible (self->take_mrz_button, differences->len > 0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->mrz_status), GTK_ACCESSIBLE_PROPERTY_LABEL, text->str, -1);
  set_dirty (self, TRUE);
  validate (self, NULL);
  update_actions (self);
  /* The keyboard goes where the result is, and to what comes next. */
  if (differences->len > 0)
    gtk_widget_grab_focus (self->take_mrz_button);
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->confirm_button));
  g_timeout_add (50, scroll_to_mrz_status, g_object_ref (self));
}

static void
show_mrz_problem (SbCitizenEditor *self,
                  const char      *message)
{
  gtk_label_set_label (self->mrz_status, message);
  gtk_widget_remove_css_class (GTK_WIDGET (self->mrz_status), "success");
  gtk_widget_add_css_class (GTK_WIDGET (self->mrz_status), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->mrz_status), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->mrz_status), GTK_ACCESSIBLE_PROPERTY_LABEL, message, -1);
}

static void
reading_done (SbCitizenEditor *self)
{
  gtk_spinner_stop (self->mrz_spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->mrz_spinner), FALSE);
  update_actions (self);
}

static void
on_mrz_read (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SbCitizenEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  SbMrz *mrz = sb_mrz_read_image_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->cancellable == NULL)
    {
      g_clear_pointer (&mrz, sb_mrz_free);
      return;
    }
  reading_done (self);
  if (mrz == NULL)
    {
      show_mrz_problem (self, error->message);
      return;
    }
  g_clear_pointer (&self->mrz, sb_mrz_free);
  self->mrz = mrz;
  show_mrz (self);
}

static void
read_mrz_from (SbCitizenEditor *self,
               PIX             *image)
{
  gtk_widget_set_visible (GTK_WIDGET (self->mrz_spinner), TRUE);
  gtk_spinner_start (self->mrz_spinner);
  show_mrz_problem (self, _("Reading the machine-readable zone…"));
  gtk_widget_remove_css_class (GTK_WIDGET (self->mrz_status), "error");
  sb_mrz_read_image_async (image, self->cancellable, on_mrz_read, g_object_ref (self));
}

static void
on_document_scanned (SbCitizenEditor *self,
                     guint            index,
                     SbRawImage      *image)
{
  g_autoptr(PIX) pix = NULL;

  g_debug ("Identity document scanned: page %u, %u × %u", index, image->width, image->height);
  /* The job numbers pages from 1; the side with the zone is the first. */
  if (index != 1)
    return;
  pix = sb_raw_image_to_pix (image);
  read_mrz_from (self, pix);
}

static void
on_scan_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SbCitizenEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  guint pages = sb_scan_job_run_finish (SB_SCAN_JOB (source), result, &error);

  g_debug ("Identity document scan ended: %u pages, %s", pages, error != NULL ? error->message : "no error");
  g_clear_object (&self->scan_job);
  if (self->cancellable == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (pages == 0)
    {
      reading_done (self);
      show_mrz_problem (self, error != NULL ? error->message
                                            : _("The scanner delivered no page. Put the document on the glass, the "
                                                "side with the zone down, and scan again."));
    }
  update_actions (self);
}

static void
scan_document (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SbCitizenEditor *self = SB_CITIZEN_EDITOR (widget);
  g_autofree char *device = g_settings_get_string (self->settings, "scanner");
  SbIdentityDocumentKind kind = adw_combo_row_get_selected (self->document_kind_row);
  SbScanSettings settings = { 0 };

  if (self->scan_job != NULL)
    return;
  if (device[0] == '\0')
    {
      show_mrz_problem (self, _("No scanner is chosen yet. Choose one in the Scan area, or read an image file of the "
                                "document."));
      return;
    }
  /* Cards lie in a corner of the glass; a passport page is found where it lies. */
  settings.device = device;
  settings.source = SB_SCAN_SOURCE_FLATBED;
  settings.mode = SB_SCAN_MODE_GRAY;
  settings.resolution = 300;
  settings.page_size = kind == SB_IDENTITY_DOCUMENT_ID_CARD || kind == SB_IDENTITY_DOCUMENT_RESIDENCE_PERMIT
                         ? SB_PAGE_SIZE_ID1 : SB_PAGE_SIZE_AUTO;
  self->scan_job = sb_scan_job_new (&settings);
  g_signal_connect_object (self->scan_job, "page-scanned", G_CALLBACK (on_document_scanned), self, G_CONNECT_SWAPPED);
  gtk_widget_set_visible (GTK_WIDGET (self->mrz_spinner), TRUE);
  gtk_spinner_start (self->mrz_spinner);
  show_mrz_problem (self, _("Scanning the document…"));
  gtk_widget_remove_css_class (GTK_WIDGET (self->mrz_status), "error");
  sb_scan_job_run_async (self->scan_job, self->cancellable, on_scan_done, g_object_ref (self));
  update_actions (self);
}

static void
on_image_loaded (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SbCitizenEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_file_load_bytes_finish (G_FILE (source), result, NULL, &error);
  g_autoptr(PIX) image = NULL;

  if (self->cancellable == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (bytes != NULL)
    image = sb_page_decode (bytes, NULL, &error);
  if (image == NULL)
    {
      reading_done (self);
      show_mrz_problem (self, error->message);
      return;
    }
  read_mrz_from (self, image);
}

static void
on_document_chosen (GtkNativeDialog *dialog,
                    int              response,
                    SbCitizenEditor *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  if (file == NULL || self->cancellable == NULL)
    return;
  g_file_load_bytes_async (file, self->cancellable, on_image_loaded, g_object_ref (self));
}

static void
open_document (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SbCitizenEditor *self = SB_CITIZEN_EDITOR (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (_("Read a Scanned Document"),
                                                              GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                              GTK_FILE_CHOOSER_ACTION_OPEN, _("_Read"), _("_Cancel"));
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Images and PDFs"));
  gtk_file_filter_add_mime_type (filter, "image/*");
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_document_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
take_document_values (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  SbCitizenEditor *self = SB_CITIZEN_EDITOR (widget);
  g_autoptr(GString) differences = NULL;

  if (self->mrz == NULL)
    return;
  differences = apply_mrz (self, TRUE);
  gtk_widget_set_visible (self->take_mrz_button, FALSE);
  set_dirty (self, TRUE);
  validate (self, NULL);
  toast (self, _("The document’s values are in the form."));
}

/* Who confirmed it, how and when: recorded with the citizen on Save. */
static void
confirm_identity (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SbCitizenEditor *self = SB_CITIZEN_EDITOR (widget);
  g_autofree char *number = row_value (self->document_number_row);
  g_autofree char *expiry_typed = row_value (self->expiry_row);
  g_autofree char *expiry = expiry_typed != NULL ? sb_parse_birth_date (expiry_typed) : NULL;
  g_autofree char *issuing = row_value (self->issuing_state_row);
  g_autoptr(SbIdentityDocument) document = sb_identity_document_new ();
  g_autoptr(SbIdentityConfirmation) confirmation = sb_identity_confirmation_new ();
  gboolean by_mrz = self->mrz != NULL && sb_mrz_is_valid (self->mrz) &&
                    g_strcmp0 (self->mrz->document_number, number) == 0;
  GtkWidget *invalid = NULL;

  if (number == NULL)
    return;
  validate (self, &invalid);
  if (invalid == GTK_WIDGET (self->document_number_row) || invalid == GTK_WIDGET (self->expiry_row))
    {
      gtk_widget_grab_focus (invalid);
      return;
    }

  sb_identity_document_set_kind (document, adw_combo_row_get_selected (self->document_kind_row));
  sb_identity_document_set_number (document, number);
  sb_identity_document_set_issuing_state (document, issuing);
  sb_identity_document_set_expiry_date (document, expiry);
  sb_identity_confirmation_set_method (confirmation, by_mrz ? SB_CONFIRMATION_METHOD_MRZ : SB_CONFIRMATION_METHOD_VISUAL);
  sb_identity_confirmation_set_document_number (confirmation, number);
  sb_identity_confirmation_set_staff (confirmation, self->store != NULL ? sb_store_get_staff (self->store)
                                                                        : g_get_user_name ());
  sb_identity_confirmation_set_confirmed_at (confirmation, g_get_real_time () / G_USEC_PER_SEC);
  g_list_store_append (G_LIST_STORE (sb_citizen_get_identity_documents (self->citizen)), document);
  g_list_store_append (G_LIST_STORE (sb_citizen_get_confirmations (self->citizen)), confirmation);
  update_confirmation (self);
  set_dirty (self, TRUE);
  toast (self, by_mrz ? _("Identity confirmed with the machine-readable zone. Save to keep it.")
                      : _("Identity confirmed by eye. Save to keep it."));
}

/* Saving */

static gboolean
has_consent (SbCitizen     *citizen,
             SbConsentKind  kind)
{
  GListModel *consents = sb_citizen_get_consents (citizen);

  for (guint i = 0; i < g_list_model_get_n_items (consents); i++)
    {
      g_autoptr(SbConsent) consent = g_list_model_get_item (consents, i);

      if (sb_consent_get_kind (consent) == kind)
        return TRUE;
    }
  return FALSE;
}

/* A consent switched on is recorded with its time, language and staff
 * member; switched off, it is withdrawn (the audit log keeps both). */
static void
collect_consent (SbCitizenEditor *self,
                 SbConsentKind    kind,
                 gboolean         given)
{
  GListStore *consents = G_LIST_STORE (sb_citizen_get_consents (self->citizen));

  if (given && !has_consent (self->citizen, kind))
    {
      g_autoptr(SbConsent) consent = sb_consent_new ();

      sb_consent_set_kind (consent, kind);
      sb_consent_set_language (consent, selected_language (self));
      sb_consent_set_staff (consent, sb_store_get_staff (self->store));
      sb_consent_set_given_at (consent, g_get_real_time () / G_USEC_PER_SEC);
      g_list_store_append (consents, consent);
    }
  else if (!given)
    for (guint i = g_list_model_get_n_items (G_LIST_MODEL (consents)); i > 0; i--)
      {
        g_autoptr(SbConsent) consent = g_list_model_get_item (G_LIST_MODEL (consents), i - 1);

        if (sb_consent_get_kind (consent) == kind)
          g_list_store_remove (consents, i - 1);
      }
}

static void
collect (SbCitizenEditor *self)
{
  SbCitizen *c = self->citizen;
  g_autofree char *family = row_value (self->family_row);
  g_autofree char *given = row_value (self->given_row);
  g_autofree char *family_latin = row_value (self->family_latin_row);
  g_autofree char *given_latin = row_value (self->given_latin_row);
  g_autofree char *birth_typed = row_value (self->birth_row);
  g_autofree char *birth = birth_typed != NULL ? sb_parse_birth_date (birth_typed) : NULL;
  g_autofree char *street = row_value (self->street_row);
  g_autofree char *postal = row_value (self->postal_code_row);
  g_autofree char *city = row_value (self->city_row);
  g_autofree char *email = row_value (self->email_row);
  g_autofree char *phone_typed = row_value (self->phone_row);
  g_autofree char *phone = phone_typed != NULL ? sb_normalize_phone (phone_typed) : NULL;

  sb_citizen_set_family_name (c, family);
  sb_citizen_set_given_names (c, given);
  sb_citizen_set_family_name_latin (c, family_latin);
  sb_citizen_set_given_names_latin (c, given_latin);
  sb_citizen_set_birth_date (c, birth);
  sb_citizen_set_sex (c, adw_combo_row_get_selected (self->sex_row));
  sb_citizen_set_nationality (c, selected_country (self));
  sb_citizen_set_street (c, street);
  sb_citizen_set_postal_code (c, postal);
  sb_citizen_set_city (c, city);
  sb_citizen_set_country (c, street != NULL ? "DEU" : NULL);
  sb_citizen_set_email (c, email);
  sb_citizen_set_phone (c, phone);
  sb_citizen_set_preferred_language (c, selected_language (self));
  collect_consent (self, SB_CONSENT_DATA_PROCESSING, gtk_switch_get_active (self->consent_data_switch));
  collect_consent (self, SB_CONSENT_REPRESENTATION, gtk_switch_get_active (self->consent_representation_switch));
}

static void
saved (SbCitizenEditor *self,
       const char      *message)
{
  self->busy = FALSE;
  self->is_new = FALSE;
  g_clear_pointer (&self->platform_account_id, g_free);
  set_dirty (self, FALSE);
  update_heading (self);
  update_account (self);
  update_actions (self);
  toast (self, message);
  if (self->sync_service != NULL)
    sb_sync_service_sync_now (self->sync_service);
  g_signal_emit (self, signals[SIGNAL_SAVED], 0);
}

static void
failed (SbCitizenEditor *self,
        GError          *error)
{
  /* Translators: %s says why; the form keeps everything typed */
  g_autofree char *message = g_strdup_printf (_("Not saved: %s Everything typed is still in the form."), error->message);

  self->busy = FALSE;
  update_actions (self);
  toast (self, message);
}

static void
on_account_written (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(SbCitizenEditor) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sb_store_write_finish (SB_STORE (source), result, &error))
    {
      if (self->cancellable != NULL)
        failed (self, error);
      return;
    }
  if (self->cancellable == NULL)
    return;
  saved (self, sb_account_get_platform_id (self->account) != NULL
                 ? _("Saved, with the platform’s existing account.")
                 : _("Saved. The online account goes to the platform."));
}

/* "Another person": the candidates the clerk ruled out are kept before the
 * account is queued, so no sync round sees the account without them. */
static void
create_account_not_duplicate_thread (GTask        *task,
                                     gpointer      source_object,
                                     gpointer      task_data,
                                     GCancellable *cancellable)
{
  SbStore *store = source_object;
  SbAccount *account = task_data;
  g_autofree char *key = g_strconcat ("not-duplicate/", sb_account_get_id (account), NULL);
  GError *error = NULL;

  if (sb_store_set_sync_value (store, key, g_object_get_data (G_OBJECT (account), "not-duplicate-of"), &error) &&
      sb_store_create_account (store, account, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
write_account (SbCitizenEditor *self,
               const char      *platform_id,
               const char      *not_duplicate_of)
{
  g_autofree char *id = g_uuid_string_random ();

  g_clear_object (&self->account);
  self->account = sb_account_new ();
  sb_account_set_id (self->account, id);
  sb_account_set_citizen_id (self->account, sb_citizen_get_id (self->citizen));
  sb_account_set_platform_id (self->account, platform_id);
  if (not_duplicate_of != NULL)
    {
      /* A task of the store's own kind: sb_store_write_finish() takes its result. */
      g_autoptr(GTask) task = g_task_new (self->store, self->cancellable, on_account_written, g_object_ref (self));

      g_object_set_data_full (G_OBJECT (self->account), "not-duplicate-of", g_strdup (not_duplicate_of), g_free);
      g_task_set_task_data (task, g_object_ref (self->account), g_object_unref);
      g_task_run_in_thread (task, create_account_not_duplicate_thread);
      return;
    }
  sb_store_write_async (self->store, platform_id != NULL ? (SbStoreWriteFunc)sb_store_link_account
                                                         : (SbStoreWriteFunc)sb_store_create_account,
                        self->account, write_account, self->cancellable, on_account_written, g_object_ref (self));
}

typedef struct
{
  SbCitizenEditor *self;
  JsonArray       *candidates;
} Duplicates;

static void
on_duplicate_answer (AdwMessageDialog *dialog,
                     const char       *response,
                     Duplicates       *duplicates)
{
  SbCitizenEditor *self = duplicates->self;

  if (g_str_has_prefix (response, "link:"))
    write_account (self, response + strlen ("link:"), NULL);
  else if (g_str_equal (response, "new"))
    {
      g_autoptr(JsonNode) ids = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_new ();
      g_autofree char *text = NULL;

      for (guint i = 0; i < json_array_get_length (duplicates->candidates); i++)
        json_array_add_string_element (array, json_object_get_string_member (
          json_array_get_object_element (duplicates->candidates, i), "id"));
      json_node_take_array (ids, array);
      text = json_to_string (ids, FALSE);
      write_account (self, NULL, text);
    }
  else
    saved (self, _("Saved without an online account: it is created when the citizen is saved again."));
  json_array_unref (duplicates->candidates);
  g_object_unref (duplicates->self);
  g_free (duplicates);
}

static void
ask_about_duplicates (SbCitizenEditor *self,
                      JsonArray       *candidates)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (
    adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _("An Account May Exist Already"),
                            _("The platform has accounts for people with this name and birth date. Ask the citizen "
                              "whether one of them is theirs.")));
  Duplicates *duplicates = g_new0 (Duplicates, 1);

  for (guint i = 0; i < json_array_get_length (candidates) && i < 5; i++)
    {
      JsonObject *candidate = json_array_get_object_element (candidates, i);
      g_autofree char *birth = iso_to_german (json_object_get_string_member_with_default (candidate, "birthDate", ""));
      g_autofree char *response = g_strconcat ("link:", json_object_get_string_member (candidate, "id"), NULL);
      /* Translators: given names, family name, birth date of an existing account */
      g_autofree char *label = g_strdup_printf (_("It Is %s %s, born %s"),
                                                json_object_get_string_member_with_default (candidate, "givenNames", ""),
                                                json_object_get_string_member_with_default (candidate, "familyName", ""),
                                                birth);

      adw_message_dialog_add_response (dialog, response, label);
    }
  adw_message_dialog_add_response (dialog, "new", _("_Another Person: Create an Account"));
  adw_message_dialog_add_response (dialog, "later", _("_Decide Later"));
  adw_message_dialog_set_response_appearance (dialog, "new", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (dialog, "later");
  duplicates->self = g_object_ref (self);
  duplicates->candidates = json_array_ref (candidates);
  g_signal_connect (dialog, "response", G_CALLBACK (on_duplicate_answer), duplicates);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_duplicates_checked (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(SbCitizenEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) candidates = sb_sync_service_find_accounts_finish (SB_SYNC_SERVICE (source), result, &error);

  if (self->cancellable == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Offline: the platform checks again when the account arrives; a
   * conflict then waits in the outbox with "link to the existing account". */
  if (candidates != NULL && json_array_get_length (candidates) > 0)
    ask_about_duplicates (self, candidates);
  else
    write_account (self, NULL, NULL);
}

static void
create_account (SbCitizenEditor *self)
{
  const char *family = sb_citizen_get_family_name_latin (self->citizen) ?: sb_citizen_get_family_name (self->citizen);
  g_autofree char *escaped = g_uri_escape_string (family, NULL, FALSE);
  g_autofree char *query = NULL;
  const char *birth = sb_citizen_get_birth_date (self->citizen);

  if (self->platform_account_id != NULL)
    {
      write_account (self, self->platform_account_id, NULL);
      return;
    }
  if (self->sync_service == NULL || !sb_sync_service_get_signed_in (self->sync_service) || birth == NULL)
    {
      write_account (self, NULL, NULL);
      return;
    }
  query = strlen (birth) == 10 ? g_strdup_printf ("name=%s&birthDate=%s", escaped, birth)
                               : g_strdup_printf ("name=%s", escaped);
  sb_sync_service_find_accounts_async (self->sync_service, query, self->cancellable, on_duplicates_checked,
                                       g_object_ref (self));
}

static void
on_citizen_saved (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SbCitizenEditor) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sb_store_save_citizen_finish (SB_STORE (source), result, &error))
    {
      if (self->cancellable != NULL)
        failed (self, error);
      return;
    }
  if (self->cancellable == NULL)
    return;
  if (self->account == NULL)
    create_account (self);
  else
    saved (self, _("Saved."));
}

static void
save (GtkWidget  *widget,
      const char *action_name,
      GVariant   *parameter)
{
  SbCitizenEditor *self = SB_CITIZEN_EDITOR (widget);
  GtkWidget *invalid = NULL;

  if (self->busy || self->store == NULL)
    return;
  self->tried_to_save = TRUE;
  validate (self, &invalid);
  if (invalid != NULL)
    {
      gtk_widget_grab_focus (invalid);
      toast (self, _("Some fields need a correction: see the marked fields."));
      return;
    }
  collect (self);
  self->busy = TRUE;
  update_actions (self);
  sb_store_save_citizen_async (self->store, self->citizen, self->cancellable, on_citizen_saved, g_object_ref (self));
}

/* The account and its letter */

typedef struct
{
  char      *citizen_id;
  SbAccount *account;
  char      *code;
  char      *expires;
  gboolean   held_back;
} AccountState;

static void
account_state_free (AccountState *state)
{
  g_free (state->citizen_id);
  g_clear_object (&state->account);
  if (state->code != NULL)
    memset (state->code, 0, strlen (state->code));
  g_free (state->code);
  g_free (state->expires);
  g_free (state);
}

/* The account, its kept code and its outbox item, read in a worker: a sync
 * round holding the store may be writing. */
static void
load_account_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  SbStore *store = source_object;
  AccountState *state = task_data;

  state->account = sb_store_load_account (store, state->citizen_id, NULL);
  if (state->account != NULL && sb_account_get_state (state->account) == SB_ACCOUNT_STATE_CREATED)
    sb_store_account_get_activation (store, sb_account_get_id (state->account), &state->code, &state->expires, NULL);
  else if (state->account != NULL)
    state->held_back = sb_store_outbox_state_of (store, "account.create", sb_account_get_id (state->account)) ==
                       SB_OUTBOX_STATE_NEEDS_ATTENTION;
  g_task_return_boolean (task, TRUE);
}

static void
on_account_loaded (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(SbCitizenEditor) self = user_data;
  AccountState *state = g_task_get_task_data (G_TASK (result));
  g_autofree char *subtitle = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), NULL) || self->citizen == NULL || self->is_new ||
      g_strcmp0 (state->citizen_id, sb_citizen_get_id (self->citizen)) != 0)
    return;

  g_set_object (&self->account, state->account);
  g_clear_pointer (&self->activation_code, g_free);
  g_clear_pointer (&self->activation_expires, g_free);
  if (self->account == NULL)
    subtitle = g_strdup (_("None yet: it is created when the citizen is saved"));
  else if (state->code != NULL)
    {
      g_autofree char *day = state->expires != NULL ? g_strndup (state->expires, 10) : NULL;
      g_autofree char *until = iso_to_german (day);

      self->activation_code = g_strdup (state->code);
      self->activation_expires = g_strdup (state->expires);
      subtitle = g_strdup_printf (_("Created on the platform. The activation code for the letter is valid until %s."),
                                  until);
    }
  else if (sb_account_get_state (self->account) == SB_ACCOUNT_STATE_CREATED)
    subtitle = g_strdup (sb_account_get_platform_id (self->account) != NULL
                           ? _("The platform’s existing account: the citizen signs in with their own password.")
                           : _("Created on the platform."));
  else if (state->held_back)
    subtitle = g_strdup (_("The platform held it back (it may exist already): resolve it in the Outbox."));
  else
    subtitle = g_strdup (_("Waiting for the platform. The activation letter can be printed as soon as the platform "
                           "has confirmed the account; this shows it then."));
  adw_action_row_set_subtitle (self->account_row, subtitle);
  update_actions (self);
}

static void
update_account (SbCitizenEditor *self)
{
  g_autoptr(GTask) task = NULL;
  AccountState *state;

  if (self->store == NULL || self->is_new)
    {
      adw_action_row_set_subtitle (self->account_row, self->platform_account_id != NULL
                                   ? _("The platform’s existing account is used when the citizen is saved")
                                   : _("Created when the citizen is saved"));
      g_clear_pointer (&self->activation_code, g_free);
      update_actions (self);
      return;
    }
  state = g_new0 (AccountState, 1);
  state->citizen_id = g_strdup (sb_citizen_get_id (self->citizen));
  task = g_task_new (self->store, self->cancellable, on_account_loaded, g_object_ref (self));
  g_task_set_task_data (task, state, (GDestroyNotify)account_state_free);
  g_task_run_in_thread (task, load_account_thread);
}

static void
on_outbox_changed (SbCitizenEditor *self)
{
  if (self->citizen != NULL && !self->is_new)
    update_account (self);
}

typedef struct
{
  SbActivationLetter letter;
  SbConsentForm      form;
  char              *strings[8];
  SbStore           *store;       /* for the audit entry of a saved citizen */
  char              *citizen_id;
} Printout;

static void
printout_free (Printout *printout)
{
  for (guint i = 0; i < G_N_ELEMENTS (printout->strings); i++)
    g_free (printout->strings[i]);
  g_clear_object (&printout->store);
  g_free (printout->citizen_id);
  g_free (printout);
}

static void
render_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Printout *printout = task_data;
  GError *error = NULL;
  GBytes *pdf = printout->letter.activation_code != NULL
                  ? sb_activation_letter_render (&printout->letter, &error)
                  : sb_consent_form_render (&printout->form, &error);

  if (pdf == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (printout->store != NULL)
    sb_store_record_audit (printout->store, printout->citizen_id,
                           printout->letter.activation_code != NULL ? "letter.print" : "consent.print",
                           printout->citizen_id, NULL);
  g_task_return_pointer (task, pdf, (GDestroyNotify)g_bytes_unref);
}

static void
on_rendered (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SbCitizenEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = g_task_propagate_pointer (G_TASK (result), &error);
  Printout *printout = g_task_get_task_data (G_TASK (result));
  GtkRoot *root;

  if (self->cancellable == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (pdf == NULL)
    {
      toast (self, error->message);
      return;
    }
  root = gtk_widget_get_root (GTK_WIDGET (self));
  sb_print_pdf (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, pdf,
                printout->letter.activation_code != NULL ? _("Activation letter") : _("Consent form"));
}

static char *
display_name (SbCitizenEditor *self)
{
  g_autofree char *given = row_value (self->given_row);
  g_autofree char *family = row_value (self->family_row);

  return g_strstrip (g_strdup_printf ("%s %s", given != NULL ? given : "", family != NULL ? family : ""));
}

static void
render_and_print (SbCitizenEditor *self,
                  Printout        *printout)
{
  g_autoptr(GTask) task = g_task_new (NULL, self->cancellable, on_rendered, g_object_ref (self));

  if (self->store != NULL && self->citizen != NULL && !self->is_new)
    {
      printout->store = g_object_ref (self->store);
      printout->citizen_id = g_strdup (sb_citizen_get_id (self->citizen));
    }
  g_task_set_task_data (task, printout, (GDestroyNotify)printout_free);
  g_task_run_in_thread (task, render_in_thread);
}

static void
print_letter (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SbCitizenEditor *self = SB_CITIZEN_EDITOR (widget);
  Printout *printout;
  g_autofree char *desk = NULL;

  if (self->activation_code == NULL)
    return;
  desk = g_settings_get_string (self->settings, "desk-name");
  printout = g_new0 (Printout, 1);
  printout->strings[0] = display_name (self);
  printout->strings[1] = g_strdup (selected_language (self));
  printout->strings[2] = g_strdup (self->activation_code);
  printout->strings[3] = g_strdup (self->activation_expires);
  printout->strings[4] = sb_activation_url (self->sync_service != NULL ? sb_sync_service_get_url (self->sync_service)
                                                                       : "", self->activation_code);
  printout->strings[5] = desk[0] != '\0' ? g_strdup_printf ("Servicebüro %s", desk) : g_strdup ("Servicebüro");
  printout->letter = (SbActivationLetter) { printout->strings[0], printout->strings[1], printout->strings[2],
                                            printout->strings[3], printout->strings[4], printout->strings[5] };
  render_and_print (self, printout);
}

static void
print_consent (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SbCitizenEditor *self = SB_CITIZEN_EDITOR (widget);
  Printout *printout = g_new0 (Printout, 1);
  g_autofree char *desk = g_settings_get_string (self->settings, "desk-name");
  g_autofree char *birth_typed = row_value (self->birth_row);

  printout->strings[0] = display_name (self);
  printout->strings[1] = g_strdup (selected_language (self));
  printout->strings[2] = birth_typed != NULL ? sb_parse_birth_date (birth_typed) : NULL;
  printout->strings[3] = g_strdup (self->store != NULL ? sb_store_get_staff (self->store) : g_get_user_name ());
  printout->strings[5] = desk[0] != '\0' ? g_strdup_printf ("Servicebüro %s", desk) : g_strdup ("Servicebüro");
  printout->form = (SbConsentForm) {
    .citizen_name = printout->strings[0],
    .birth_date = printout->strings[2],
    .language = printout->strings[1],
    .data_processing = TRUE,
    .representation = gtk_switch_get_active (self->consent_representation_switch),
    .staff = printout->strings[3],
    .recorded_at = g_get_real_time () / G_USEC_PER_SEC,
    .desk = printout->strings[5],
  };
  render_and_print (self, printout);
}

static void
on_activation_renewed (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(SbCitizenEditor) self = user_data;
  g_autoptr(GError) error = NULL;

  if (self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;
  self->busy = FALSE;
  if (!sb_sync_service_renew_activation_finish (SB_SYNC_SERVICE (source), result, &error))
    {
      /* Translators: %s says why */
      g_autofree char *message = g_strdup_printf (_("No new code: %s"), error->message);

      toast (self, message);
      update_actions (self);
      return;
    }
  update_account (self);
  toast (self, _("New activation code: the old one no longer works. Print the letter now (Ctrl+P)."));
}

/* A lost letter or an expired code: the platform makes a new one. */
static void
renew_activation (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SbCitizenEditor *self = SB_CITIZEN_EDITOR (widget);

  if (self->account == NULL || self->sync_service == NULL || self->busy)
    return;
  self->busy = TRUE;
  update_actions (self);
  sb_sync_service_renew_activation_async (self->sync_service, self->account, self->cancellable, on_activation_renewed,
                                          g_object_ref (self));
}

/* The consent, on screen in the citizen's language: the clerk turns the screen. */
static void
show_consent (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SbCitizenEditor *self = SB_CITIZEN_EDITOR (widget);
  const char *language = selected_language (self);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *data_title = sb_citizen_text (language, "consent_data_title");
  g_autofree char *data_text = sb_citizen_text (language, "consent_data");
  g_autofree char *representation_title = sb_citizen_text (language, "consent_rep_title");
  g_autofree char *representation_text = sb_citizen_text (language, "consent_rep");
  g_autofree char *body = g_strdup_printf ("%s\n\n%s\n\n%s", data_text, representation_title, representation_text);
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                                         data_title, body));

  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  adw_message_dialog_set_default_response (dialog, "close");
  gtk_window_set_default_size (GTK_WINDOW (dialog), 640, -1);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Leaving */

static void
on_leave_answer (AdwMessageDialog *dialog,
                 const char       *response,
                 SbCitizenEditor  *self)
{
  if (g_str_equal (response, "save"))
    gtk_widget_activate_action (GTK_WIDGET (self), "citizen.save", NULL);
  else if (g_str_equal (response, "discard"))
    {
      set_dirty (self, FALSE);
      g_signal_emit (self, signals[SIGNAL_DONE], 0);
    }
}

static void
back (GtkWidget  *widget,
      const char *action_name,
      GVariant   *parameter)
{
  SbCitizenEditor *self = SB_CITIZEN_EDITOR (widget);
  GtkRoot *root;
  AdwMessageDialog *dialog;

  if (!self->dirty)
    {
      g_signal_emit (self, signals[SIGNAL_DONE], 0);
      return;
    }
  root = gtk_widget_get_root (widget);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       _("Save the Changes?"),
                                                       _("What was typed for this citizen is not saved yet.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Keep Editing"), "discard", _("_Discard"),
                                    "save", _("_Save"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_leave_answer), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
sb_citizen_editor_class_init (SbCitizenEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_citizen_editor_dispose;
  object_class->get_property = sb_citizen_editor_get_property;

  properties[PROP_DIRTY] = g_param_spec_boolean ("dirty", NULL, NULL, FALSE,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SbCitizenEditor::done:
   * The clerk is finished with this citizen (saved or discarded).
   */
  signals[SIGNAL_DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 0);
  signals[SIGNAL_SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/ui/sb-citizen-editor.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, SbCitizenEditor, name)
  CHILD (heading);
  CHILD (save_button);
  CHILD (scroller);
  CHILD (family_row);
  CHILD (given_row);
  CHILD (family_latin_row);
  CHILD (given_latin_row);
  CHILD (birth_row);
  CHILD (sex_row);
  CHILD (nationality_dropdown);
  CHILD (document_kind_row);
  CHILD (document_number_row);
  CHILD (issuing_state_row);
  CHILD (expiry_row);
  CHILD (confirmation_row);
  CHILD (confirm_button);
  CHILD (mrz_status);
  CHILD (mrz_spinner);
  CHILD (take_mrz_button);
  CHILD (street_row);
  CHILD (postal_code_row);
  CHILD (city_row);
  CHILD (email_row);
  CHILD (phone_row);
  CHILD (language_row);
  CHILD (consent_data_switch);
  CHILD (consent_representation_switch);
  CHILD (account_group);
  CHILD (account_row);
  CHILD (family_error);
  CHILD (given_error);
  CHILD (family_latin_error);
  CHILD (given_latin_error);
  CHILD (birth_error);
  CHILD (document_number_error);
  CHILD (expiry_error);
  CHILD (postal_code_error);
  CHILD (email_error);
  CHILD (phone_error);
#undef CHILD
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_install_action (widget_class, "citizen.save", NULL, save);
  gtk_widget_class_install_action (widget_class, "citizen.new-application", NULL, new_application);
  gtk_widget_class_install_action (widget_class, "citizen.back", NULL, back);
  gtk_widget_class_install_action (widget_class, "citizen.scan-document", NULL, scan_document);
  gtk_widget_class_install_action (widget_class, "citizen.open-document", NULL, open_document);
  gtk_widget_class_install_action (widget_class, "citizen.take-document-values", NULL, take_document_values);
  gtk_widget_class_install_action (widget_class, "citizen.confirm-identity", NULL, confirm_identity);
  gtk_widget_class_install_action (widget_class, "citizen.print-letter", NULL, print_letter);
  gtk_widget_class_install_action (widget_class, "citizen.print-consent", NULL, print_consent);
  gtk_widget_class_install_action (widget_class, "citizen.renew-activation", NULL, renew_activation);
  gtk_widget_class_install_action (widget_class, "citizen.show-consent", NULL, show_consent);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "citizen.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "citizen.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "citizen.scan-document", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "citizen.open-document", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "citizen.print-letter", NULL);
}

static void
sb_citizen_editor_init (SbCitizenEditor *self)
{
  g_autoptr(GtkStringList) countries = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) languages = gtk_string_list_new (NULL);
  GPtrArray *all = sb_countries ();
  guint n_languages;
  const SbCitizenLanguage *known = sb_citizen_languages (&n_languages);
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Caught before the focused field: a text field takes Ctrl+Shift+A for "select none". */
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_a, GDK_CONTROL_MASK | GDK_SHIFT_MASK),
                                                          gtk_named_action_new ("citizen.new-application")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
  self->settings = g_settings_new (APP_ID);
  /* The form follows the keyboard: a long form scrolls to what has focus. */
  if (GTK_IS_VIEWPORT (gtk_scrolled_window_get_child (self->scroller)))
    gtk_viewport_set_scroll_to_focus (GTK_VIEWPORT (gtk_scrolled_window_get_child (self->scroller)), TRUE);

  gtk_string_list_append (countries, _("Not stated"));
  for (guint i = 0; i < all->len; i++)
    {
      SbCountry *country = g_ptr_array_index (all, i);
      g_autofree char *label = g_strdup_printf ("%s (%s)", country->german, country->alpha3);

      gtk_string_list_append (countries, label);
    }
  gtk_drop_down_set_model (self->nationality_dropdown, G_LIST_MODEL (countries));
  gtk_drop_down_set_expression (self->nationality_dropdown,
                                gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->nationality_dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Nationality"), -1);
  /* GTK 4.8 leaves the drop-down's own button unnamed for screen readers. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->nationality_dropdown)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_TOGGLE_BUTTON (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Choose the Nationality"),
                                      -1);

  for (guint i = 0; i < n_languages; i++)
    {
      g_autofree char *label = g_strdup_printf ("%s (%s)", known[i].name, known[i].code);

      gtk_string_list_append (languages, label);
    }
  adw_combo_row_set_model (self->language_row, G_LIST_MODEL (languages));
  /* A date is typed with digits and dots. */
  gtk_editable_set_max_width_chars (GTK_EDITABLE (self->birth_row), 10);
}

/**
 * sb_citizen_editor_set_context:
 * @sync_service: (nullable): to search the platform for duplicates
 */
void
sb_citizen_editor_set_context (SbCitizenEditor *self,
                               SbStore         *store,
                               SbSyncService   *sync_service)
{
  g_return_if_fail (SB_IS_CITIZEN_EDITOR (self));

  g_set_object (&self->store, store);
  if (g_set_object (&self->sync_service, sync_service) && sync_service != NULL)
    g_signal_connect_object (sync_service, "outbox-changed", G_CALLBACK (on_outbox_changed), self, G_CONNECT_SWAPPED);
  update_actions (self);
}

static void
reset (SbCitizenEditor *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_object (&self->scan_job);
  g_clear_pointer (&self->mrz, sb_mrz_free);
  g_clear_pointer (&self->platform_account_id, g_free);
  g_clear_object (&self->account);
  self->busy = FALSE;
  self->tried_to_save = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->mrz_status), FALSE);
  gtk_widget_set_visible (self->take_mrz_button, FALSE);
  {
    AdwEntryRow *marked[] = { self->family_row, self->given_row, self->family_latin_row, self->given_latin_row,
                              self->birth_row, self->document_number_row, self->issuing_state_row, self->expiry_row };

    for (guint i = 0; i < G_N_ELEMENTS (marked); i++)
      gtk_widget_remove_css_class (GTK_WIDGET (marked[i]), "warning");
  }
  reading_done (self);
}

/* Someone who looks like a name was searched for becomes the new citizen's name. */
static void
prefill_from_search (SbCitizenEditor *self,
                     const char      *search_text)
{
  g_autofree char *text = NULL;
  char *last_space;

  if (search_text == NULL || strpbrk (search_text, "0123456789@") != NULL)
    return;
  text = g_strstrip (g_strdup (search_text));
  if (text[0] == '\0')
    return;
  /* "Anna Maria Eriksson": the last word is taken for the family name. */
  last_space = strrchr (text, ' ');
  if (last_space == NULL)
    sb_citizen_set_family_name (self->citizen, text);
  else
    {
      *last_space = '\0';
      sb_citizen_set_given_names (self->citizen, g_strstrip (text));
      sb_citizen_set_family_name (self->citizen, last_space + 1);
    }
}

/**
 * sb_citizen_editor_edit:
 * @citizen: (nullable): the citizen to show, or %NULL for someone new
 * @search_text: (nullable): what was searched for, to start a new
 *   citizen's name with
 */
void
sb_citizen_editor_edit (SbCitizenEditor *self,
                        SbCitizen       *citizen,
                        const char      *search_text)
{
  g_return_if_fail (SB_IS_CITIZEN_EDITOR (self));

  reset (self);
  g_clear_object (&self->citizen);
  if (citizen != NULL)
    {
      /* A copy of its own: what is not saved stays out of every list. */
      self->citizen = self->store != NULL ? sb_store_load_citizen (self->store, sb_citizen_get_id (citizen), NULL) : NULL;
      if (self->citizen == NULL)
        self->citizen = g_object_ref (citizen);
      self->is_new = FALSE;
    }
  else
    {
      g_autofree char *id = g_uuid_string_random ();

      self->citizen = sb_citizen_new ();
      sb_citizen_set_id (self->citizen, id);
      self->is_new = TRUE;
      prefill_from_search (self, search_text);
    }
  load (self);
  update_confirmation (self);
  update_heading (self);
  update_account (self);
  validate (self, NULL);
  set_dirty (self, FALSE);
  update_actions (self);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
  gtk_widget_grab_focus (GTK_WIDGET (self->family_row));
}

/**
 * sb_citizen_editor_clear:
 *
 * "Next citizen": the form forgets the one it showed — fields, scan,
 * account — so nothing of them stays in the window, not even hidden.
 */
void
sb_citizen_editor_clear (SbCitizenEditor *self)
{
  g_return_if_fail (SB_IS_CITIZEN_EDITOR (self));

  reset (self);
  g_clear_object (&self->citizen);
  self->citizen = sb_citizen_new ();
  load (self);
  g_clear_object (&self->citizen);
  g_clear_pointer (&self->activation_code, g_free);
  g_clear_pointer (&self->activation_expires, g_free);
  self->is_new = TRUE;
  gtk_label_set_text (self->heading, "");
  set_dirty (self, FALSE);
  update_actions (self);
}

/**
 * sb_citizen_editor_adopt:
 * @platform_account: an account the platform's search found
 *
 * A citizen this desk has not served before but the platform knows: the
 * form starts with the platform's data, and Save links the account.
 */
void
sb_citizen_editor_adopt (SbCitizenEditor *self,
                         JsonObject      *platform_account)
{
  g_return_if_fail (SB_IS_CITIZEN_EDITOR (self));

  sb_citizen_editor_edit (self, NULL, NULL);
  self->platform_account_id = g_strdup (json_object_get_string_member_with_default (platform_account, "id", NULL));
  sb_citizen_set_family_name (self->citizen, json_object_get_string_member_with_default (platform_account, "familyName", NULL));
  sb_citizen_set_given_names (self->citizen, json_object_get_string_member_with_default (platform_account, "givenNames", NULL));
  {
    const char *birth = json_object_get_string_member_with_default (platform_account, "birthDate", NULL);
    g_autofree char *partial = NULL;

    /* The platform writes unknown parts as 00 (ICAO 9303). */
    if (birth != NULL && g_str_has_suffix (birth, "-00-00"))
      partial = g_strndup (birth, 4);
    else if (birth != NULL && g_str_has_suffix (birth, "-00"))
      partial = g_strndup (birth, 7);
    sb_citizen_set_birth_date (self->citizen, partial != NULL ? partial : birth);
  }
  sb_citizen_set_nationality (self->citizen, json_object_get_string_member_with_default (platform_account, "nationality", NULL));
  sb_citizen_set_email (self->citizen, json_object_get_string_member_with_default (platform_account, "email", NULL));
  sb_citizen_set_phone (self->citizen, json_object_get_string_member_with_default (platform_account, "phone", NULL));
  sb_citizen_set_preferred_language (self->citizen,
                                     json_object_get_string_member_with_default (platform_account, "language", NULL));
  load (self);
  update_heading (self);
  update_account (self);
  set_dirty (self, TRUE);
}

SbCitizen *
sb_citizen_editor_get_citizen (SbCitizenEditor *self)
{
  g_return_val_if_fail (SB_IS_CITIZEN_EDITOR (self), NULL);

  return self->citizen;
}

gboolean
sb_citizen_editor_get_dirty (SbCitizenEditor *self)
{
  g_return_val_if_fail (SB_IS_CITIZEN_EDITOR (self), FALSE);

  return self->dirty;
}
