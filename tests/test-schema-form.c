/* test-schema-form.c — the form generated from a JSON Schema, under a display server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The data a form gives back is the data it was given, for every kind of
 * field, lists of objects included; the list's Add and Remove buttons
 * change it; an alternative of oneOf chosen by a choice asks for its own
 * field, and a hidden field is not part of the data. A form's message
 * toast replaces the one it said before instead of queueing behind it.
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "sb-schema-form.h"
#include "sb-submission-ui.h"
#include "sb-test-ui.h"

static const char *schema_text =
  "{\"type\":\"object\",\"required\":[\"moveInDate\",\"previousResidence\"],"
  " \"properties\":{"
  "  \"moveInDate\":{\"type\":\"string\",\"format\":\"date\",\"x-labels\":{\"en\":\"Date of moving in\"}},"
  "  \"previousResidence\":{\"type\":\"string\",\"enum\":[\"germany\",\"abroad\"],\"x-labels\":{\"en\":\"Lived before\"}},"
  "  \"previousAddress\":{\"type\":\"string\",\"x-labels\":{\"en\":\"Previous address\"}},"
  "  \"previousCountry\":{\"type\":\"string\",\"x-labels\":{\"en\":\"Country lived in before\"}},"
  "  \"householdSize\":{\"type\":\"integer\",\"minimum\":1},"
  "  \"owner\":{\"type\":\"boolean\"},"
  "  \"nicknames\":{\"type\":\"array\",\"items\":{\"type\":\"string\",\"minLength\":2},\"x-labels\":{\"en\":\"Nicknames\"}},"
  "  \"movingWith\":{\"type\":\"array\",\"maxItems\":10,\"x-labels\":{\"en\":\"Persons moving in too\"},"
  "   \"items\":{\"type\":\"object\",\"required\":[\"givenNames\",\"familyName\"],"
  "    \"properties\":{\"givenNames\":{\"type\":\"string\"},\"familyName\":{\"type\":\"string\"},"
  "                    \"dateOfBirth\":{\"type\":\"string\",\"format\":\"date\"}}}}},"
  " \"oneOf\":[{\"properties\":{\"previousResidence\":{\"const\":\"germany\"}},\"required\":[\"previousAddress\"]},"
  "          {\"properties\":{\"previousResidence\":{\"const\":\"abroad\"}},\"required\":[\"previousCountry\"]}]}";

static JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}

static SbSchemaForm *
new_form (GtkWindow **window)
{
  g_autoptr(JsonNode) schema = parse (schema_text);
  SbSchemaForm *form = sb_schema_form_new (schema, "en");

  *window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_child (*window, GTK_WIDGET (form));
  gtk_window_present (*window);
  sb_test_wait_for_frame (GTK_WIDGET (*window));
  return form;
}

static char *
data_of (SbSchemaForm *form)
{
  g_autoptr(JsonNode) data = sb_schema_form_get_data (form);

  return json_to_string (data, FALSE);
}

/* The button below @widget whose tooltip (and accessible label) is @label. */
static GtkWidget *
button_labelled (GtkWidget  *widget,
                 const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) && g_strcmp0 (gtk_widget_get_tooltip_text (child), label) == 0)
        return child;
      if ((found = button_labelled (child, label)) != NULL)
        return found;
    }
  return NULL;
}

static void
test_round_trip (void)
{
  GtkWindow *window = NULL;
  SbSchemaForm *form = new_form (&window);
  const char *given = "{\"moveInDate\":\"2027-01-31\",\"previousResidence\":\"germany\","
                      "\"previousAddress\":\"Hauptmarkt 18, 90403 Nürnberg\",\"householdSize\":3,\"owner\":true,"
                      "\"nicknames\":[\"Lena\",\"Olja\"],"
                      "\"movingWith\":[{\"givenNames\":\"Taras\",\"familyName\":\"Kovalenko\",\"dateOfBirth\":\"2015-04-01\"},"
                      "{\"givenNames\":\"Mila\",\"familyName\":\"Kovalenko\"}]}";
  g_autoptr(JsonNode) data = parse (given);
  g_autoptr(JsonNode) back = NULL;

  sb_schema_form_set_data (form, data);
  back = sb_schema_form_get_data (form);
  g_assert_true (json_node_equal (back, data));
  g_assert_cmpuint (sb_schema_form_check (form, TRUE), ==, 0);
  gtk_window_destroy (window);
}

static void
test_list_add_remove (void)
{
  GtkWindow *window = NULL;
  SbSchemaForm *form = new_form (&window);
  GtkWidget *add = button_labelled (GTK_WIDGET (form), "Add to Persons moving in too");
  GtkWidget *remove;
  g_autofree char *one = NULL;
  g_autofree char *none = NULL;

  g_assert_nonnull (add);
  g_signal_emit_by_name (add, "clicked");
  g_signal_emit_by_name (add, "clicked");
  sb_test_wait_for_frame (GTK_WIDGET (window));
  /* Two entries, each an object whose required names are faults now. */
  g_assert_cmpuint (sb_schema_form_check (form, TRUE), >=, 4);
  remove = button_labelled (GTK_WIDGET (form), "Remove Persons moving in too 2");
  g_assert_nonnull (remove);
  g_signal_emit_by_name (remove, "clicked");
  sb_test_wait_for_frame (GTK_WIDGET (window));
  g_assert_null (button_labelled (GTK_WIDGET (form), "Remove Persons moving in too 2"));
  g_assert_nonnull (button_labelled (GTK_WIDGET (form), "Remove Persons moving in too 1"));
  one = data_of (form);
  g_assert_cmpstr (one, ==, "{\"owner\":false,\"nicknames\":[],\"movingWith\":[{}]}");
  g_signal_emit_by_name (button_labelled (GTK_WIDGET (form), "Remove Persons moving in too 1"), "clicked");
  none = data_of (form);
  g_assert_cmpstr (none, ==, "{\"owner\":false,\"nicknames\":[],\"movingWith\":[]}");
  gtk_window_destroy (window);
}

/* Removing the first of two entries: the second is numbered first, and
 * keeps what it holds; a list of plain values the same. */
static void
test_list_remove_first (void)
{
  GtkWindow *window = NULL;
  SbSchemaForm *form = new_form (&window);
  g_autoptr(JsonNode) data = parse ("{\"movingWith\":[{\"givenNames\":\"Taras\",\"familyName\":\"K\"},"
                                    "{\"givenNames\":\"Mila\",\"familyName\":\"K\"}],\"nicknames\":[\"Lena\",\"Olja\"]}");
  g_autofree char *left = NULL;

  sb_schema_form_set_data (form, data);
  g_signal_emit_by_name (button_labelled (GTK_WIDGET (form), "Remove Persons moving in too 1"), "clicked");
  g_signal_emit_by_name (button_labelled (GTK_WIDGET (form), "Remove Nicknames 1"), "clicked");
  g_assert_null (button_labelled (GTK_WIDGET (form), "Remove Persons moving in too 2"));
  g_assert_nonnull (button_labelled (GTK_WIDGET (form), "Remove Persons moving in too 1"));
  g_assert_nonnull (button_labelled (GTK_WIDGET (form), "Remove Nicknames 1"));
  left = data_of (form);
  g_assert_cmpstr (left, ==, "{\"owner\":false,\"nicknames\":[\"Olja\"],"
                             "\"movingWith\":[{\"givenNames\":\"Mila\",\"familyName\":\"K\"}]}");
  gtk_window_destroy (window);
}

static void
test_chosen_alternative (void)
{
  GtkWindow *window = NULL;
  SbSchemaForm *form = new_form (&window);
  g_autoptr(JsonNode) abroad = parse ("{\"moveInDate\":\"2027-01-31\",\"previousResidence\":\"abroad\","
                                      "\"previousAddress\":\"left over from the other choice\"}");
  g_autoptr(JsonNode) fixed = parse ("{\"moveInDate\":\"2027-01-31\",\"previousResidence\":\"abroad\","
                                     "\"previousCountry\":\"Ukraine\"}");
  g_autofree char *shown = NULL;

  sb_schema_form_set_data (form, abroad);
  /* "abroad" asks for the country, and only that is wrong. */
  g_assert_cmpuint (sb_schema_form_check (form, TRUE), ==, 1);
  g_assert_true (sb_schema_form_focus_first_error (form));
  /* The address of the other alternative is hidden, and not part of the data. */
  shown = data_of (form);
  g_assert_null (strstr (shown, "previousAddress"));
  sb_schema_form_set_data (form, fixed);
  g_assert_cmpuint (sb_schema_form_check (form, TRUE), ==, 0);
  gtk_window_destroy (window);
}

static void
count_dismissal (AdwToast *toast,
                 guint    *count)
{
  (*count)++;
}

static void
test_toast_replaces_said (void)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  AdwToastOverlay *overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  g_autoptr(AdwToast) other = adw_toast_new ("The sign-in failed");
  g_autoptr(AdwToast) first = NULL;
  g_autoptr(AdwToast) second = NULL;
  guint other_dismissed = 0, first_dismissed = 0, second_dismissed = 0;

  gtk_window_set_child (window, GTK_WIDGET (overlay));
  gtk_window_present (window);
  sb_test_wait_for_frame (GTK_WIDGET (window));

  /* A toast of someone else's stays; each one said replaces the one before. */
  adw_toast_set_timeout (other, 0);
  g_signal_connect (other, "dismissed", G_CALLBACK (count_dismissal), &other_dismissed);
  adw_toast_overlay_add_toast (overlay, g_object_ref (other));
  first = g_object_ref (sb_ui_toast (overlay, "Some fields need attention"));
  g_signal_connect (first, "dismissed", G_CALLBACK (count_dismissal), &first_dismissed);
  second = g_object_ref (sb_ui_toast (overlay, "Some fields need attention"));
  g_signal_connect (second, "dismissed", G_CALLBACK (count_dismissal), &second_dismissed);
  g_assert_cmpuint (first_dismissed, ==, 1);
  g_assert_cmpuint (second_dismissed, ==, 0);
  sb_ui_toast (overlay, "The draft is saved");
  g_assert_cmpuint (second_dismissed, ==, 1);
  g_assert_cmpuint (first_dismissed, ==, 1);
  g_assert_cmpuint (other_dismissed, ==, 0);
  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  if (!sb_test_ui_init (&argc, &argv))
    return 0;
  g_test_add_func ("/schema-form/round-trip", test_round_trip);
  g_test_add_func ("/schema-form/list-add-remove", test_list_add_remove);
  g_test_add_func ("/schema-form/list-remove-first", test_list_remove_first);
  g_test_add_func ("/schema-form/chosen-alternative", test_chosen_alternative);
  g_test_add_func ("/submission-ui/toast-replaces-said", test_toast_replaces_said);
  return g_test_run ();
}
