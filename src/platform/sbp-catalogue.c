/* sbp-catalogue.c: the service catalogue
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Services with localized titles, the JSON Schema of their form, the
 * documents they need, fee and authority. Answers carry an ETag; a client
 * that has the catalogue already gets 304 Not Modified.
 */
#include "sbp-private.h"

#include <string.h>

gboolean
sbp_catalogue_load (SbpServer *self,
                    GError   **error)
{
  g_autoptr(GBytes) bytes = g_resources_lookup_data ("/io/github/servicebuero/Platform/catalogue.json", 0, error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *canonical = NULL;
  g_autofree char *digest = NULL;
  JsonArray *services;

  if (bytes == NULL ||
      !json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error))
    return FALSE;

  services = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "services");
  for (guint i = 0; i < json_array_get_length (services); i++)
    {
      JsonObject *service = json_array_get_object_element (services, i);

      if (!sb_json_schema_check (json_object_get_member (service, "form"), error))
        {
          g_prefix_error (error, "Service %s: ", json_object_get_string_member (service, "id"));
          return FALSE;
        }
    }

  self->catalogue = json_node_ref (json_parser_get_root (parser));
  canonical = sb_json_canonical (self->catalogue);
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, canonical, -1);
  self->catalogue_etag = g_strdup_printf ("\"%.32s\"", digest);
  return TRUE;
}

JsonObject *
sbp_catalogue_find (SbpServer  *self,
                    const char *service_id)
{
  JsonArray *services = json_object_get_array_member (json_node_get_object (self->catalogue), "services");

  for (guint i = 0; i < json_array_get_length (services); i++)
    {
      JsonObject *service = json_array_get_object_element (services, i);

      if (g_strcmp0 (json_object_get_string_member (service, "id"), service_id) == 0)
        return service;
    }
  return NULL;
}

static gboolean
not_modified (SbpRequest *request)
{
  const char *if_none_match = sbp_header (request, "If-None-Match");
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (request->msg);

  soup_message_headers_replace (headers, "ETag", request->server->catalogue_etag);
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");
  soup_message_headers_replace (headers, "Vary", "Accept-Language");
  if (if_none_match != NULL && (strstr (if_none_match, request->server->catalogue_etag) != NULL ||
                                g_str_equal (if_none_match, "*")))
    {
      sbp_respond_empty (request, SOUP_STATUS_NOT_MODIFIED);
      return TRUE;
    }
  return FALSE;
}

void
sbp_handle_services (SbpRequest *request)
{
  SbpServer *self = request->server;
  JsonArray *services = json_object_get_array_member (json_node_get_object (self->catalogue), "services");

  if (!g_str_equal (request->method, "GET") && !g_str_equal (request->method, "HEAD"))
    return sbp_respond_problem (request, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed",
                                "The catalogue is read-only.", NULL);

  if (request->n_segments == 2)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      JsonObject *out = json_object_new ();
      JsonArray *list = json_array_new ();

      if (not_modified (request))
        return;
      for (guint i = 0; i < json_array_get_length (services); i++)
        {
          JsonObject *service = json_array_get_object_element (services, i);
          JsonObject *summary = json_object_new ();
          g_autoptr(GList) names = json_object_get_members (service);

          /* json_node_copy() would share the object: build the summary anew. */
          for (GList *l = names; l != NULL; l = l->next)
            if (!g_str_equal (l->data, "form"))
              json_object_set_member (summary, l->data, json_node_copy (json_object_get_member (service, l->data)));
          json_array_add_object_element (list, summary);
        }
      json_object_set_string_member (out, "version",
                                     json_object_get_string_member (json_node_get_object (self->catalogue), "version"));
      json_object_set_array_member (out, "services", list);
      json_node_take_object (node, out);
      return sbp_respond_json (request, SOUP_STATUS_OK, node);
    }

  if (request->n_segments == 3)
    {
      JsonObject *service = sbp_catalogue_find (self, request->segments[2]);
      g_autoptr(JsonNode) node = NULL;

      if (service == NULL)
        return sbp_respond_problem (request, SOUP_STATUS_NOT_FOUND, "not-found", "No such service",
                                    "The catalogue has no service with this id. GET /v1/services lists them.", NULL);
      if (not_modified (request))
        return;
      node = json_node_new (JSON_NODE_OBJECT);
      json_node_set_object (node, service);
      return sbp_respond_json (request, SOUP_STATUS_OK, node);
    }

  sbp_respond_problem (request, SOUP_STATUS_NOT_FOUND, "not-found", "Not found", NULL, NULL);
}
