/* sb-scan-tray.c — the pages scanned or imported for the citizen at the desk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GListModel of SbTrayPage, in the order the clerk wants them. Pages are
 * processed (straightened, cropped, judged blank, compressed) by a small
 * pool of worker threads, and every change reaches the store through one
 * writer thread, so changes land in the order they were made and the main
 * loop never waits for a disk. Turning, moving, deleting and combining can
 * be undone.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "sb-pdf-writer.h"
#include "sb-scan-tray.h"

typedef enum
{
  UNDO_ROTATE,
  UNDO_DELETE,
  UNDO_MOVE,
  UNDO_COMBINE,
} UndoKind;

typedef struct
{
  UndoKind    kind;
  SbTrayPage *page;       /* rotated, deleted, moved, or the combined page */
  int         turns;
  guint       from;
  guint       to;
  SbTrayPage *front;
  SbTrayPage *back;
  guint       front_index;
  guint       back_index;
} UndoStep;

struct _SbScanTray
{
  GObject       parent_instance;

  SbStore      *store;
  GPtrArray    *pages;        /* SbTrayPage, as shown */
  GQueue        undo;         /* UndoStep, newest first */
  GMainContext *context;
  GThreadPool  *processing;
  GThreadPool  *writer;
  guint         n_busy;
};

static void sb_scan_tray_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SbScanTray, sb_scan_tray, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, sb_scan_tray_list_model_init))

enum
{
  PROP_0,
  PROP_CAN_UNDO,
  PROP_N_BUSY,
  N_PROPS
};

enum
{
  PROBLEM,
  PAGE_DROPPED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
undo_step_free (UndoStep *step)
{
  g_clear_object (&step->page);
  g_clear_object (&step->front);
  g_clear_object (&step->back);
  g_free (step);
}

static GType
sb_scan_tray_get_item_type (GListModel *model)
{
  return SB_TYPE_TRAY_PAGE;
}

static guint
sb_scan_tray_get_n_items (GListModel *model)
{
  return SB_SCAN_TRAY (model)->pages->len;
}

static gpointer
sb_scan_tray_get_item (GListModel *model,
                       guint       position)
{
  SbScanTray *self = SB_SCAN_TRAY (model);

  if (position >= self->pages->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->pages, position));
}

static void
sb_scan_tray_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = sb_scan_tray_get_item_type;
  iface->get_n_items = sb_scan_tray_get_n_items;
  iface->get_item = sb_scan_tray_get_item;
}

/* Work that crosses threads: what to do, and to what. */
typedef enum
{
  WORK_PROCESS,
  WORK_ADD,
  WORK_UPDATE,
  WORK_REORDER,
  WORK_COMBINE,
  WORK_PURGE,
} WorkKind;

typedef struct
{
  WorkKind         kind;
  SbScanTray      *tray;
  SbTrayPage      *page;
  SbTrayPage      *front;
  SbTrayPage      *back;
  SbRawImage      *raw;
  PIX             *pix;
  SbPdfMode        mode;
  SbProcessFlags   flags;
  SbProcessedPage *processed;
  int              rotation;
  gboolean         deleted;
  gboolean         everything;
  char           **order;
  char            *settings;
  GError          *error;
} Work;

static void
work_free (Work *work)
{
  g_clear_object (&work->page);
  g_clear_object (&work->front);
  g_clear_object (&work->back);
  g_clear_pointer (&work->raw, sb_raw_image_free);
  if (work->pix != NULL)
    pixDestroy (&work->pix);
  g_clear_pointer (&work->processed, sb_processed_page_free);
  g_strfreev (work->order);
  g_free (work->settings);
  g_clear_error (&work->error);
  g_clear_object (&work->tray);
  g_free (work);
}

static Work *
work_new (SbScanTray *self,
          WorkKind    kind,
          SbTrayPage *page)
{
  Work *work = g_new0 (Work, 1);

  work->kind = kind;
  work->tray = g_object_ref (self);
  work->page = page != NULL ? g_object_ref (page) : NULL;
  return work;
}

static void
set_busy (SbScanTray *self,
          int         delta)
{
  self->n_busy += delta;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_BUSY]);
}

static char **
snapshot_order (SbScanTray *self)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **order;

  for (guint i = 0; i < self->pages->len; i++)
    g_strv_builder_add (builder, sb_tray_page_get_id (g_ptr_array_index (self->pages, i)));
  order = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return order;
}

static void
queue_write (SbScanTray *self,
             Work       *work)
{
  set_busy (self, +1);
  g_thread_pool_push (self->writer, work, NULL);
}

static void
queue_reorder (SbScanTray *self)
{
  Work *work = work_new (self, WORK_REORDER, NULL);

  work->order = snapshot_order (self);
  queue_write (self, work);
}

static void
report_problem (SbScanTray *self,
                GError     *error)
{
  g_signal_emit (self, signals[PROBLEM], 0, error->message);
}

/* Back on the main context, after a worker thread. */
static gboolean
work_done (gpointer data)
{
  Work *work = data;
  SbScanTray *self = work->tray;

  switch (work->kind)
    {
    case WORK_PROCESS:
      if (work->error != NULL)
        {
          sb_tray_page_set_state (work->page, SB_TRAY_PAGE_FAILED);
          sb_tray_page_set_problem (work->page, work->error->message);
          report_problem (self, work->error);
          break;
        }
      /* Processed: show it, then keep it. */
      sb_tray_page_set_thumbnail (work->page, work->processed->thumbnail,
                                  work->processed->thumbnail_width, work->processed->thumbnail_height);
      sb_tray_page_set_blank (work->page, work->processed->blank);
      sb_tray_page_set_skew (work->page, work->processed->skew_degrees);
      {
        Work *add = work_new (self, WORK_ADD, work->page);

        add->processed = g_steal_pointer (&work->processed);
        add->order = snapshot_order (self);
        add->deleted = add->processed->blank;
        queue_write (self, add);
      }
      break;

    case WORK_ADD:
      if (work->error != NULL)
        {
          sb_tray_page_set_state (work->page, SB_TRAY_PAGE_FAILED);
          sb_tray_page_set_problem (work->page, work->error->message);
          report_problem (self, work->error);
          break;
        }
      sb_tray_page_set_state (work->page, SB_TRAY_PAGE_READY);
      /* An empty back: out of the way, and the clerk is told (and may undo). */
      if (work->deleted)
        {
          int index = sb_scan_tray_index_of (self, work->page);

          if (index >= 0)
            {
              UndoStep *step = g_new0 (UndoStep, 1);

              step->kind = UNDO_DELETE;
              step->page = g_object_ref (work->page);
              step->from = (guint)index;
              g_queue_push_head (&self->undo, step);
              g_ptr_array_remove_index (self->pages, (guint)index);
              g_list_model_items_changed (G_LIST_MODEL (self), (guint)index, 1, 0);
              g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
              g_signal_emit (self, signals[PAGE_DROPPED], 0, work->page);
            }
        }
      break;

    case WORK_COMBINE:
      if (work->error != NULL)
        {
          UndoStep *latest = g_queue_peek_head (&self->undo);

          report_problem (self, work->error);
          /* The two sides come back as they were. */
          if (latest != NULL && latest->kind == UNDO_COMBINE && latest->page == work->page)
            sb_scan_tray_undo (self);
          else
            sb_scan_tray_abandon_page (self, work->page);
          break;
        }
      sb_tray_page_set_thumbnail (work->page, work->processed->thumbnail,
                                  work->processed->thumbnail_width, work->processed->thumbnail_height);
      sb_tray_page_set_state (work->page, SB_TRAY_PAGE_READY);
      break;

    case WORK_UPDATE:
    case WORK_REORDER:
    case WORK_PURGE:
    default:
      if (work->error != NULL)
        report_problem (self, work->error);
      break;
    }

  set_busy (self, -1);
  return G_SOURCE_REMOVE;
}

static void
finish_in_main (Work *work)
{
  g_main_context_invoke_full (work->tray->context, G_PRIORITY_DEFAULT, work_done, work,
                              (GDestroyNotify)work_free);
}

static char *
settings_json (const SbProcessedPage *page,
               SbPdfMode              mode)
{
  return g_strdup_printf ("{\"width\":%u,\"height\":%u,\"dpi\":%.0f,\"skew\":%.2f,\"cropped\":%s,\"blank\":%s,\"mode\":%d}",
                          page->width, page->height, page->dpi, page->skew_degrees,
                          page->cropped ? "true" : "false", page->blank ? "true" : "false", mode);
}

/* Page work yields to the thread that draws the window: a clerk scrolling
 * through pages while a batch is processed should not feel it. */
static void
lower_thread_priority (void)
{
#ifdef __linux__
  static GPrivate lowered;

  if (g_private_get (&lowered) == NULL)
    {
      setpriority (PRIO_PROCESS, (id_t)syscall (SYS_gettid), 5);
      g_private_set (&lowered, GINT_TO_POINTER (1));
    }
#endif
}

static void
process_in_thread (gpointer data,
                   gpointer user_data)
{
  Work *work = data;
  g_autoptr(PIX) pix = NULL;
  double dpi;

  lower_thread_priority ();
  pix = work->pix != NULL ? g_steal_pointer (&work->pix) : sb_raw_image_to_pix (work->raw);
  dpi = work->raw != NULL ? work->raw->dpi : pixGetXRes (pix);

  g_clear_pointer (&work->raw, sb_raw_image_free);
  work->processed = sb_page_process (pix, dpi, work->mode, work->flags, &work->error);
  if (work->processed != NULL)
    work->settings = settings_json (work->processed, work->mode);
  finish_in_main (work);
}

static void
combine_in_thread (Work *work)
{
  SbStore *store = work->tray->store;
  g_autoptr(GBytes) front_image = NULL;
  g_autoptr(GBytes) back_image = NULL;
  g_autoptr(PIX) front = NULL;
  g_autoptr(PIX) back = NULL;
  g_autoptr(PIX) both = NULL;
  double dpi = 0;

  front_image = sb_store_tray_open_image (store, sb_tray_page_get_id (work->front), &work->error);
  if (front_image == NULL)
    return;
  back_image = sb_store_tray_open_image (store, sb_tray_page_get_id (work->back), &work->error);
  if (back_image == NULL)
    return;
  front = sb_page_decode (front_image, &dpi, &work->error);
  if (front == NULL)
    return;
  back = sb_page_decode (back_image, NULL, &work->error);
  if (back == NULL)
    return;

  /* The sides as the clerk sees them, turned. */
  if (sb_tray_page_get_rotation (work->front) != 0)
    {
      PIX *turned = pixRotateOrth (front, sb_tray_page_get_rotation (work->front));

      pixDestroy (&front);
      front = turned;
    }
  if (sb_tray_page_get_rotation (work->back) != 0)
    {
      PIX *turned = pixRotateOrth (back, sb_tray_page_get_rotation (work->back));

      pixDestroy (&back);
      back = turned;
    }

  both = sb_page_combine_card (front, back, dpi > 0 ? dpi : 300);
  work->processed = sb_page_process (both, dpi > 0 ? dpi : 300, SB_PDF_MODE_COLOR, 0, &work->error);
  if (work->processed == NULL)
    return;

  work->settings = settings_json (work->processed, SB_PDF_MODE_COLOR);
  if (!sb_store_tray_add (store, sb_tray_page_get_id (work->page), 0, work->processed->image,
                          work->settings, &work->error))
    return;
  if (!sb_store_tray_update (store, sb_tray_page_get_id (work->front), sb_tray_page_get_rotation (work->front),
                             TRUE, &work->error) ||
      !sb_store_tray_update (store, sb_tray_page_get_id (work->back), sb_tray_page_get_rotation (work->back),
                             TRUE, &work->error))
    return;
  sb_store_tray_reorder (work->tray->store, (const char * const *)work->order, &work->error);
}

static void
write_in_thread (gpointer data,
                 gpointer user_data)
{
  Work *work = data;
  SbStore *store = work->tray->store;
  const char *id = work->page != NULL ? sb_tray_page_get_id (work->page) : NULL;

  lower_thread_priority ();

  switch (work->kind)
    {
    case WORK_ADD:
      {
        g_autofree char *settings = settings_json (work->processed, SB_PDF_MODE_AUTO);

        if (sb_store_tray_add (store, id, 0, work->processed->image, settings, &work->error) &&
            (!work->deleted || sb_store_tray_update (store, id, 0, TRUE, &work->error)))
          sb_store_tray_reorder (store, (const char * const *)work->order, &work->error);
      }
      break;

    case WORK_UPDATE:
      sb_store_tray_update (store, id, work->rotation, work->deleted, &work->error);
      break;

    case WORK_REORDER:
      sb_store_tray_reorder (store, (const char * const *)work->order, &work->error);
      break;

    case WORK_COMBINE:
      combine_in_thread (work);
      break;

    case WORK_PURGE:
      sb_store_tray_purge (store, work->everything, &work->error);
      break;

    case WORK_PROCESS:
    default:
      g_assert_not_reached ();
    }

  finish_in_main (work);
}

static void
thread_pool_finish (GThreadPool *pool)
{
  g_thread_pool_free (pool, FALSE, TRUE);
}

static void
sb_scan_tray_dispose (GObject *object)
{
  SbScanTray *self = SB_SCAN_TRAY (object);

  /* Every queued job holds a reference: nothing is pending here. */
  g_clear_pointer (&self->processing, thread_pool_finish);
  g_clear_pointer (&self->writer, thread_pool_finish);
  g_queue_clear_full (&self->undo, (GDestroyNotify)undo_step_free);
  g_clear_pointer (&self->pages, g_ptr_array_unref);
  g_clear_object (&self->store);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (sb_scan_tray_parent_class)->dispose (object);
}

static void
sb_scan_tray_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SbScanTray *self = SB_SCAN_TRAY (object);

  switch (prop_id)
    {
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, sb_scan_tray_get_can_undo (self));
      break;
    case PROP_N_BUSY:
      g_value_set_uint (value, self->n_busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_scan_tray_class_init (SbScanTrayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sb_scan_tray_dispose;
  object_class->get_property = sb_scan_tray_get_property;

  properties[PROP_CAN_UNDO] = g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_BUSY] = g_param_spec_uint ("n-busy", NULL, NULL, 0, G_MAXUINT, 0,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SbScanTray::problem:
   * @message: what went wrong with a page and what to do
   */
  signals[PROBLEM] = g_signal_new ("problem", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * SbScanTray::page-dropped:
   * @page: an empty back, taken out of the tray (undo brings it back)
   */
  signals[PAGE_DROPPED] = g_signal_new ("page-dropped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 1, SB_TYPE_TRAY_PAGE);
}

static void
sb_scan_tray_init (SbScanTray *self)
{
  /* While a scan runs the main thread mostly waits: every core may work. */
  guint threads = CLAMP (g_get_num_processors (), 1, 4);

  self->pages = g_ptr_array_new_with_free_func (g_object_unref);
  g_queue_init (&self->undo);
  self->context = g_main_context_ref_thread_default ();
  self->processing = g_thread_pool_new (process_in_thread, self, (int)threads, FALSE, NULL);
  self->writer = g_thread_pool_new (write_in_thread, self, 1, FALSE, NULL);
}

SbScanTray *
sb_scan_tray_new (SbStore *store)
{
  SbScanTray *self;

  g_return_val_if_fail (SB_IS_STORE (store), NULL);

  self = g_object_new (SB_TYPE_SCAN_TRAY, NULL);
  self->store = g_object_ref (store);
  return self;
}

SbStore *
sb_scan_tray_get_store (SbScanTray *self)
{
  g_return_val_if_fail (SB_IS_SCAN_TRAY (self), NULL);
  return self->store;
}

gboolean
sb_scan_tray_get_can_undo (SbScanTray *self)
{
  g_return_val_if_fail (SB_IS_SCAN_TRAY (self), FALSE);
  return !g_queue_is_empty (&self->undo);
}

/**
 * sb_scan_tray_get_n_busy:
 *
 * Returns: pages being processed plus changes not yet in the store
 */
guint
sb_scan_tray_get_n_busy (SbScanTray *self)
{
  g_return_val_if_fail (SB_IS_SCAN_TRAY (self), 0);
  return self->n_busy;
}

int
sb_scan_tray_index_of (SbScanTray *self,
                       SbTrayPage *page)
{
  guint index;

  g_return_val_if_fail (SB_IS_SCAN_TRAY (self), -1);

  return g_ptr_array_find (self->pages, page, &index) ? (int)index : -1;
}

/**
 * sb_scan_tray_wait_idle:
 *
 * Runs the main context until every page is processed and every change is
 * in the store: for the command line, tests and benchmarks.
 */
void
sb_scan_tray_wait_idle (SbScanTray *self)
{
  g_return_if_fail (SB_IS_SCAN_TRAY (self));

  while (self->n_busy > 0)
    g_main_context_iteration (self->context, TRUE);
}

static void
push_undo (SbScanTray *self,
           UndoStep   *step)
{
  g_queue_push_head (&self->undo, step);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
}

static void
insert_page (SbScanTray *self,
             SbTrayPage *page,
             guint       index)
{
  index = MIN (index, self->pages->len);
  g_ptr_array_insert (self->pages, (int)index, g_object_ref (page));
  g_list_model_items_changed (G_LIST_MODEL (self), index, 0, 1);
}

/**
 * sb_scan_tray_begin_page:
 *
 * Returns: (transfer none): a new page at the end, being scanned
 */
SbTrayPage *
sb_scan_tray_begin_page (SbScanTray *self)
{
  g_autoptr(SbTrayPage) page = sb_tray_page_new (NULL);

  g_return_val_if_fail (SB_IS_SCAN_TRAY (self), NULL);

  insert_page (self, page, self->pages->len);
  return page;
}

/**
 * sb_scan_tray_finish_page:
 * @image: the page as scanned
 *
 * Processes and keeps @page in the background.
 */
void
sb_scan_tray_finish_page (SbScanTray       *self,
                          SbTrayPage       *page,
                          const SbRawImage *image,
                          SbPdfMode         mode,
                          SbProcessFlags    flags)
{
  Work *work;

  g_return_if_fail (SB_IS_SCAN_TRAY (self));
  g_return_if_fail (SB_IS_TRAY_PAGE (page) && image != NULL);

  sb_tray_page_set_progress (page, 1);
  sb_tray_page_set_state (page, SB_TRAY_PAGE_PROCESSING);
  work = work_new (self, WORK_PROCESS, page);
  work->raw = sb_raw_image_copy (image);
  work->mode = mode;
  work->flags = flags;
  set_busy (self, +1);
  g_thread_pool_push (self->processing, work, NULL);
}

/**
 * sb_scan_tray_add_pix:
 * @pix: a page from elsewhere (an import); the tray takes a reference
 */
void
sb_scan_tray_add_pix (SbScanTray     *self,
                      PIX            *pix,
                      SbPdfMode       mode,
                      SbProcessFlags  flags)
{
  SbTrayPage *page;
  Work *work;

  g_return_if_fail (SB_IS_SCAN_TRAY (self));
  g_return_if_fail (pix != NULL);

  page = sb_scan_tray_begin_page (self);
  sb_tray_page_set_state (page, SB_TRAY_PAGE_PROCESSING);
  work = work_new (self, WORK_PROCESS, page);
  work->pix = pixClone (pix);
  work->mode = mode;
  work->flags = flags;
  set_busy (self, +1);
  g_thread_pool_push (self->processing, work, NULL);
}

/**
 * sb_scan_tray_abandon_page:
 *
 * Takes out a page whose scan never finished (a jam, a crash).
 */
void
sb_scan_tray_abandon_page (SbScanTray *self,
                           SbTrayPage *page)
{
  int index;

  g_return_if_fail (SB_IS_SCAN_TRAY (self));

  index = sb_scan_tray_index_of (self, page);
  if (index < 0)
    return;
  g_ptr_array_remove_index (self->pages, (guint)index);
  g_list_model_items_changed (G_LIST_MODEL (self), (guint)index, 1, 0);
}

static void
queue_update (SbScanTray *self,
              SbTrayPage *page,
              gboolean    deleted)
{
  Work *work = work_new (self, WORK_UPDATE, page);

  work->rotation = sb_tray_page_get_rotation (page);
  work->deleted = deleted;
  queue_write (self, work);
}

static gboolean
page_is_kept (SbTrayPage *page)
{
  return sb_tray_page_get_state (page) == SB_TRAY_PAGE_READY;
}

/**
 * sb_scan_tray_rotate:
 * @quarter_turns: clockwise; -1 turns left
 */
void
sb_scan_tray_rotate (SbScanTray *self,
                     SbTrayPage *page,
                     int         quarter_turns)
{
  UndoStep *step;

  g_return_if_fail (SB_IS_SCAN_TRAY (self));
  g_return_if_fail (sb_scan_tray_index_of (self, page) >= 0);

  if (!page_is_kept (page) || quarter_turns % 4 == 0)
    return;

  sb_tray_page_set_rotation (page, sb_tray_page_get_rotation (page) + quarter_turns);
  queue_update (self, page, FALSE);

  step = g_new0 (UndoStep, 1);
  step->kind = UNDO_ROTATE;
  step->page = g_object_ref (page);
  step->turns = quarter_turns;
  push_undo (self, step);
}

static void
move_page (SbScanTray *self,
           guint       from,
           guint       to)
{
  SbTrayPage *page = g_object_ref (g_ptr_array_index (self->pages, from));

  g_ptr_array_remove_index (self->pages, from);
  g_list_model_items_changed (G_LIST_MODEL (self), from, 1, 0);
  insert_page (self, page, to);
  g_object_unref (page);
  queue_reorder (self);
}

/**
 * sb_scan_tray_move:
 * @index: where @page goes, counted in the tray as it is now
 */
void
sb_scan_tray_move (SbScanTray *self,
                   SbTrayPage *page,
                   guint       index)
{
  int from;
  UndoStep *step;

  g_return_if_fail (SB_IS_SCAN_TRAY (self));

  from = sb_scan_tray_index_of (self, page);
  g_return_if_fail (from >= 0);

  index = MIN (index, self->pages->len - 1);
  if ((guint)from == index)
    return;

  move_page (self, (guint)from, index);

  step = g_new0 (UndoStep, 1);
  step->kind = UNDO_MOVE;
  step->page = g_object_ref (page);
  step->from = (guint)from;
  step->to = index;
  push_undo (self, step);
}

void
sb_scan_tray_delete (SbScanTray *self,
                     SbTrayPage *page)
{
  int index;
  UndoStep *step;

  g_return_if_fail (SB_IS_SCAN_TRAY (self));

  index = sb_scan_tray_index_of (self, page);
  g_return_if_fail (index >= 0);

  /* A page still being scanned or kept cannot go yet; a failed one has
   * nothing kept, so it simply leaves. */
  if (sb_tray_page_get_state (page) == SB_TRAY_PAGE_FAILED)
    {
      sb_scan_tray_abandon_page (self, page);
      return;
    }
  if (!page_is_kept (page))
    return;

  step = g_new0 (UndoStep, 1);
  step->kind = UNDO_DELETE;
  step->page = g_object_ref (page);
  step->from = (guint)index;

  g_ptr_array_remove_index (self->pages, (guint)index);
  g_list_model_items_changed (G_LIST_MODEL (self), (guint)index, 1, 0);
  queue_update (self, step->page, TRUE);
  push_undo (self, step);
}

/**
 * sb_scan_tray_combine_card:
 *
 * Puts both sides of an ID card on one page, where @front was; the two
 * pages leave the tray (undo brings them back).
 */
gboolean
sb_scan_tray_combine_card (SbScanTray  *self,
                           SbTrayPage  *front,
                           SbTrayPage  *back,
                           GError     **error)
{
  int front_index, back_index;
  g_autoptr(SbTrayPage) both = NULL;
  UndoStep *step;
  Work *work;

  g_return_val_if_fail (SB_IS_SCAN_TRAY (self), FALSE);

  front_index = sb_scan_tray_index_of (self, front);
  back_index = sb_scan_tray_index_of (self, back);
  g_return_val_if_fail (front_index >= 0 && back_index >= 0, FALSE);

  if (front == back || !page_is_kept (front) || !page_is_kept (back))
    {
      g_set_error_literal (error, SB_CAPTURE_ERROR, SB_CAPTURE_ERROR_FAILED,
                           _("Choose two scanned pages — the front and the back of the card — and try again."));
      return FALSE;
    }

  both = sb_tray_page_new (NULL);
  sb_tray_page_set_state (both, SB_TRAY_PAGE_PROCESSING);

  step = g_new0 (UndoStep, 1);
  step->kind = UNDO_COMBINE;
  step->page = g_object_ref (both);
  step->front = g_object_ref (front);
  step->back = g_object_ref (back);
  step->front_index = (guint)front_index;
  step->back_index = (guint)back_index;

  /* Take out the later one first so the earlier index stays right. */
  g_ptr_array_remove_index (self->pages, (guint)MAX (front_index, back_index));
  g_list_model_items_changed (G_LIST_MODEL (self), (guint)MAX (front_index, back_index), 1, 0);
  g_ptr_array_remove_index (self->pages, (guint)MIN (front_index, back_index));
  g_list_model_items_changed (G_LIST_MODEL (self), (guint)MIN (front_index, back_index), 1, 0);
  insert_page (self, both, (guint)MIN (front_index, back_index));

  work = work_new (self, WORK_COMBINE, both);
  work->front = g_object_ref (front);
  work->back = g_object_ref (back);
  work->order = snapshot_order (self);
  queue_write (self, work);
  push_undo (self, step);
  return TRUE;
}

/**
 * sb_scan_tray_undo:
 *
 * Returns: %FALSE when there was nothing to undo
 */
gboolean
sb_scan_tray_undo (SbScanTray *self)
{
  UndoStep *step;
  int index;

  g_return_val_if_fail (SB_IS_SCAN_TRAY (self), FALSE);

  step = g_queue_pop_head (&self->undo);
  if (step == NULL)
    return FALSE;

  switch (step->kind)
    {
    case UNDO_ROTATE:
      sb_tray_page_set_rotation (step->page, sb_tray_page_get_rotation (step->page) - step->turns);
      queue_update (self, step->page, FALSE);
      break;

    case UNDO_DELETE:
      insert_page (self, step->page, step->from);
      queue_update (self, step->page, FALSE);
      queue_reorder (self);
      break;

    case UNDO_MOVE:
      index = sb_scan_tray_index_of (self, step->page);
      if (index >= 0)
        move_page (self, (guint)index, step->from);
      break;

    case UNDO_COMBINE:
      index = sb_scan_tray_index_of (self, step->page);
      if (index >= 0)
        {
          g_ptr_array_remove_index (self->pages, (guint)index);
          g_list_model_items_changed (G_LIST_MODEL (self), (guint)index, 1, 0);
          queue_update (self, step->page, TRUE);
        }
      insert_page (self, step->front_index < step->back_index ? step->front : step->back,
                   MIN (step->front_index, step->back_index));
      insert_page (self, step->front_index < step->back_index ? step->back : step->front,
                   MAX (step->front_index, step->back_index));
      queue_update (self, step->front, FALSE);
      queue_update (self, step->back, FALSE);
      queue_reorder (self);
      break;

    default:
      g_assert_not_reached ();
    }

  undo_step_free (step);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
  return TRUE;
}

/**
 * sb_scan_tray_clear:
 *
 * Empties the tray, in the store too: the next citizen starts with nothing
 * of the last one's.
 */
void
sb_scan_tray_clear (SbScanTray *self)
{
  guint n;
  Work *work;

  g_return_if_fail (SB_IS_SCAN_TRAY (self));

  n = self->pages->len;
  g_ptr_array_set_size (self->pages, 0);
  g_queue_clear_full (&self->undo, (GDestroyNotify)undo_step_free);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);

  work = work_new (self, WORK_PURGE, NULL);
  work->everything = TRUE;
  queue_write (self, work);
}

typedef struct
{
  SbScanTray *tray;
  SbTrayPage *page;
  SbProcessedPage *processed;
} Loaded;

static void
loaded_free (Loaded *loaded)
{
  g_clear_object (&loaded->tray);
  g_clear_object (&loaded->page);
  g_clear_pointer (&loaded->processed, sb_processed_page_free);
  g_free (loaded);
}

/* A page that came from a file: appended once processed, then kept. */
static gboolean
append_loaded (gpointer data)
{
  Loaded *loaded = data;
  SbScanTray *self = loaded->tray;

  insert_page (self, loaded->page, self->pages->len);
  sb_tray_page_set_thumbnail (loaded->page, loaded->processed->thumbnail,
                              loaded->processed->thumbnail_width, loaded->processed->thumbnail_height);

  if (sb_tray_page_get_state (loaded->page) == SB_TRAY_PAGE_PROCESSING)
    {
      Work *add = work_new (self, WORK_ADD, loaded->page);

      add->processed = g_steal_pointer (&loaded->processed);
      add->order = snapshot_order (self);
      queue_write (self, add);
    }
  return G_SOURCE_REMOVE;
}

static void
load_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  SbScanTray *self = source_object;
  g_autoptr(GPtrArray) entries = NULL;
  GError *error = NULL;

  /* Deletions can no longer be undone after a restart. */
  sb_store_tray_purge (self->store, FALSE, NULL);

  entries = sb_store_tray_list (self->store, &error);
  if (entries == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < entries->len && !g_cancellable_is_cancelled (cancellable); i++)
    {
      SbTrayEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr(GBytes) image = NULL;
      g_autoptr(PIX) pix = NULL;
      Loaded *loaded;

      if (entry->deleted)
        continue;
      image = sb_store_tray_open_image (self->store, entry->id, NULL);
      pix = image != NULL ? sb_page_decode (image, NULL, NULL) : NULL;

      loaded = g_new0 (Loaded, 1);
      loaded->tray = g_object_ref (self);
      loaded->page = sb_tray_page_new (entry->id);
      loaded->processed = g_new0 (SbProcessedPage, 1);
      sb_tray_page_set_rotation (loaded->page, entry->rotation);
      if (pix != NULL)
        {
          loaded->processed->thumbnail = sb_page_thumbnail (pix, &loaded->processed->thumbnail_width,
                                                            &loaded->processed->thumbnail_height);
          sb_tray_page_set_state (loaded->page, SB_TRAY_PAGE_READY);
        }
      else
        {
          sb_tray_page_set_state (loaded->page, SB_TRAY_PAGE_FAILED);
          sb_tray_page_set_problem (loaded->page, _("This page’s image cannot be read. Delete it and scan the page again."));
        }
      g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, append_loaded, loaded,
                                  (GDestroyNotify)loaded_free);
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * sb_scan_tray_load_async:
 *
 * Brings back what was in the tray when the app last stopped — after a
 * crash as much as after closing it.
 */
void
sb_scan_tray_load_async (SbScanTray          *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, sb_scan_tray_load_async);
  g_task_run_in_thread (task, load_in_thread);
}

gboolean
sb_scan_tray_load_finish (SbScanTray    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
import_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  SbScanTray *self = source_object;
  GFile *file = task_data;
  g_autoptr(GBytes) contents = NULL;
  g_autoptr(GPtrArray) pages = NULL;
  GError *error = NULL;
  guint added = 0;

  contents = g_file_load_bytes (file, cancellable, NULL, &error);
  if (contents == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  pages = sb_page_import (contents, &error);
  if (pages == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < pages->len; i++)
    {
      Loaded *loaded;
      SbProcessedPage *processed;

      if (g_task_return_error_if_cancelled (task))
        return;

      processed = sb_page_process (g_ptr_array_index (pages, i), 0, SB_PDF_MODE_AUTO, 0, &error);
      if (processed == NULL)
        {
          g_task_return_error (task, error);
          return;
        }

      loaded = g_new0 (Loaded, 1);
      loaded->tray = g_object_ref (self);
      loaded->page = sb_tray_page_new (NULL);
      loaded->processed = processed;
      sb_tray_page_set_state (loaded->page, SB_TRAY_PAGE_PROCESSING);
      g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, append_loaded, loaded,
                                  (GDestroyNotify)loaded_free);
      added++;
    }

  g_task_return_int (task, added);
}

/**
 * sb_scan_tray_import_async:
 * @file: an image (JPEG, PNG, TIFF, HEIC) or a PDF
 *
 * Adds the file's pages at the end, each as soon as it is ready.
 */
void
sb_scan_tray_import_async (SbScanTray          *self,
                           GFile               *file,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (G_IS_FILE (file));

  g_task_set_source_tag (task, sb_scan_tray_import_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, import_in_thread);
}

/**
 * sb_scan_tray_import_finish:
 *
 * Returns: the number of pages added; 0 with @error set when the file
 *   could not be read (pages added before a failure stay)
 */
guint
sb_scan_tray_import_finish (SbScanTray    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  gssize added;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  added = g_task_propagate_int (G_TASK (result), error);
  return added > 0 ? (guint)added : 0;
}

typedef struct
{
  char **ids;
  int   *rotations;
} PdfJob;

static void
pdf_job_free (PdfJob *job)
{
  g_strfreev (job->ids);
  g_free (job->rotations);
  g_free (job);
}

static void
build_pdf_in_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  SbScanTray *self = source_object;
  PdfJob *job = task_data;
  g_autoptr(SbPdfWriter) writer = sb_pdf_writer_new ();
  GError *error = NULL;
  GBytes *pdf;

  for (guint i = 0; job->ids[i] != NULL; i++)
    {
      g_autoptr(GBytes) image = sb_store_tray_open_image (self->store, job->ids[i], &error);
      g_autoptr(SbEncodedImage) encoded = NULL;
      gboolean is_jpeg;

      if (image == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      is_jpeg = g_bytes_get_size (image) > 2 && ((const guchar *)g_bytes_get_data (image, NULL))[0] == 0xff;

      if (job->rotations[i] != 0)
        {
          double dpi = 0;
          g_autoptr(PIX) pix = sb_page_decode (image, &dpi, &error);
          g_autoptr(PIX) turned = NULL;

          if (pix == NULL)
            {
              g_task_return_error (task, error);
              return;
            }
          turned = pixRotateOrth (pix, job->rotations[i]);
          g_clear_pointer (&image, g_bytes_unref);
          image = sb_page_compress (turned, is_jpeg ? (pixGetDepth (turned) == 32 ? SB_PDF_MODE_COLOR : SB_PDF_MODE_GRAY)
                                                    : SB_PDF_MODE_BW, dpi, &error);
          if (image == NULL)
            {
              g_task_return_error (task, error);
              return;
            }
        }

      /* Kept as the PDF will hold it: JPEGs pass through untouched. */
      encoded = sb_page_encode (image, is_jpeg ? SB_PDF_MODE_COLOR : SB_PDF_MODE_BW, 300, &error);
      if (encoded == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      sb_pdf_writer_add_page (writer, g_steal_pointer (&encoded));  /* the writer owns it */
    }

  pdf = sb_pdf_writer_finish (writer, &error);
  if (pdf == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pdf, (GDestroyNotify)g_bytes_unref);
}

/**
 * sb_scan_tray_build_pdf_async:
 *
 * One PDF of the tray's pages as they are shown: order and turns applied.
 * Pages still being scanned or processed are left out.
 */
void
sb_scan_tray_build_pdf_async (SbScanTray          *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  PdfJob *job = g_new0 (PdfJob, 1);
  guint n = 0;

  job->rotations = g_new0 (int, self->pages->len + 1);
  for (guint i = 0; i < self->pages->len; i++)
    {
      SbTrayPage *page = g_ptr_array_index (self->pages, i);

      if (!page_is_kept (page))
        continue;
      g_strv_builder_add (ids, sb_tray_page_get_id (page));
      job->rotations[n++] = sb_tray_page_get_rotation (page);
    }
  job->ids = g_strv_builder_end (ids);

  g_task_set_source_tag (task, sb_scan_tray_build_pdf_async);
  g_task_set_task_data (task, job, (GDestroyNotify)pdf_job_free);
  if (n == 0)
    {
      g_task_return_new_error (task, SB_CAPTURE_ERROR, SB_CAPTURE_ERROR_FAILED,
                               _("There are no scanned pages yet. Scan or import the document first."));
      return;
    }
  g_task_run_in_thread (task, build_pdf_in_thread);
}

/**
 * sb_scan_tray_build_pdf_finish:
 *
 * Returns: (transfer full): the PDF's bytes
 */
GBytes *
sb_scan_tray_build_pdf_finish (SbScanTray    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
