/* sb-outbox-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every item that has not reached the platform, oldest first: what it is,
 * its state in words, what went wrong, and for an item the platform
 * refused the platform's reason and "Send Again". Read from the store in
 * a thread; reloaded after every sync round.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sb-model.h"
#include "sb-outbox-page.h"

struct _SbOutboxPage
{
  GtkWidget     parent_instance;

  GtkStack     *stack;
  GtkListBox   *list;
  GtkLabel     *summary;

  SbStore      *store;
  GCancellable *cancellable;
  guint         n_items;
};

G_DEFINE_FINAL_TYPE (SbOutboxPage, sb_outbox_page, GTK_TYPE_WIDGET)

static const char *
kind_in_words (const char *kind)
{
  if (g_str_equal (kind, "account.create"))
    return _("Online account");
  if (g_str_equal (kind, "submission.submit"))
    return _("Application");
  if (g_str_equal (kind, "message.send"))
    return _("Answer to the authority");
  return kind;
}

static char *
state_in_words (SbOutboxItem *item)
{
  guint attempts = sb_outbox_item_get_attempts (item);

  switch (sb_outbox_item_get_state (item))
    {
    case SB_OUTBOX_STATE_SENDING:
      return g_strdup (_("Being sent"));
    case SB_OUTBOX_STATE_NEEDS_ATTENTION:
      return g_strdup (_("Needs attention"));
    case SB_OUTBOX_STATE_DELIVERED:
      return g_strdup (_("Delivered"));
    case SB_OUTBOX_STATE_WAITING:
    default:
      if (attempts == 0)
        return g_strdup (_("Waiting"));
      return g_strdup_printf (ngettext ("Waiting, tried %u time", "Waiting, tried %u times", attempts), attempts);
    }
}

static void
on_retried (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SbOutboxPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_warning ("Could not queue the item again: %s", error->message);
  gtk_widget_activate_action (GTK_WIDGET (self), "app.sync-now", NULL);
  sb_outbox_page_reload (self);
}

static void
retry_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  SbOutboxPage *self = source_object;
  GError *error = NULL;

  if (sb_store_outbox_retry (self->store, task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_send_again (GtkButton    *button,
               SbOutboxPage *self)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, on_retried, g_object_ref (self));

  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  g_task_set_task_data (task, g_strdup (g_object_get_data (G_OBJECT (button), "outbox-id")), g_free);
  g_task_run_in_thread (task, retry_thread);
}

static GtkWidget *
make_row (SbOutboxPage *self,
          SbOutboxItem *item)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *state = state_in_words (item);
  g_autofree char *title = g_strdup_printf ("%s · %.8s", kind_in_words (sb_outbox_item_get_kind (item)),
                                            sb_outbox_item_get_entity_id (item));
  const char *last_error = sb_outbox_item_get_last_error (item);
  g_autofree char *subtitle = last_error != NULL ? g_strdup_printf ("%s — %s", state, last_error) : g_strdup (state);
  g_autofree char *escaped = g_markup_escape_text (subtitle, -1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  if (sb_outbox_item_get_state (item) == SB_OUTBOX_STATE_NEEDS_ATTENTION)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("Send _Again"));

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (button, _("Send this again at once, after you corrected what the platform refused"));
      g_object_set_data_full (G_OBJECT (button), "outbox-id", g_strdup (sb_outbox_item_get_id (item)), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (on_send_again), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_widget_add_css_class (row, "error");
    }
  return row;
}

static void
on_listed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SbOutboxPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) items = g_task_propagate_pointer (G_TASK (result), &error);
  GtkWidget *child;
  guint attention = 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);

  self->n_items = items != NULL ? g_list_model_get_n_items (items) : 0;
  for (guint i = 0; i < self->n_items; i++)
    {
      g_autoptr(SbOutboxItem) item = g_list_model_get_item (items, i);

      attention += sb_outbox_item_get_state (item) == SB_OUTBOX_STATE_NEEDS_ATTENTION;
      gtk_list_box_append (self->list, make_row (self, item));
    }

  if (self->n_items == 0)
    gtk_stack_set_visible_child_name (self->stack, "empty");
  else
    {
      g_autofree char *waiting = g_strdup_printf (ngettext ("%u item waits to be sent", "%u items wait to be sent",
                                                            self->n_items), self->n_items);
      g_autofree char *text = attention == 0
        ? g_strdup (waiting)
        : g_strdup_printf (ngettext ("%s; %u needs your attention", "%s; %u need your attention", attention),
                           waiting, attention);

      gtk_label_set_label (self->summary, text);
      gtk_stack_set_visible_child_name (self->stack, "items");
    }
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SbOutboxPage *self = source_object;
  GError *error = NULL;
  GListModel *items = sb_store_list_outbox (self->store, FALSE, &error);

  if (items != NULL)
    g_task_return_pointer (task, items, g_object_unref);
  else
    g_task_return_error (task, error);
}

void
sb_outbox_page_reload (SbOutboxPage *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SB_IS_OUTBOX_PAGE (self));

  if (self->store == NULL)
    return;
  task = g_task_new (self, self->cancellable, on_listed, g_object_ref (self));
  g_task_run_in_thread (task, list_thread);
}

void
sb_outbox_page_set_store (SbOutboxPage *self,
                          SbStore      *store)
{
  g_return_if_fail (SB_IS_OUTBOX_PAGE (self));

  if (g_set_object (&self->store, store))
    sb_outbox_page_reload (self);
}

guint
sb_outbox_page_get_n_items (SbOutboxPage *self)
{
  return self->n_items;
}

static void
sb_outbox_page_dispose (GObject *object)
{
  SbOutboxPage *self = SB_OUTBOX_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_OUTBOX_PAGE);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (sb_outbox_page_parent_class)->dispose (object);
}

static void
sb_outbox_page_class_init (SbOutboxPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = sb_outbox_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/ui/sb-outbox-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SbOutboxPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SbOutboxPage, list);
  gtk_widget_class_bind_template_child (widget_class, SbOutboxPage, summary);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sb_outbox_page_init (SbOutboxPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}
