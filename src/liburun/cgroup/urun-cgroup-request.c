/* urun-cgroup-request.c: what a cgroup request asks for (its resources,
 * its systemd options and annotations, best effort), the checks made on it
 * before anything is spawned, and the announcement of what a rung is about
 * to make.  Zone: host side (GLib).
 */
#include "config.h"

#include "cgroup/urun-cgroup-private.h"
#include "cgroup/urun-systemd-property.h"
#include "util/urun-error.h"

#include <string.h>

gboolean
urun_cgroup_request_announce (const UrunCgroupRequest *request, UrunCgroupDriver driver,
                              const char *unit, const char *path, GError **error)
{
  if (request->about_to_make == NULL)
    return TRUE;
  return request->about_to_make (request->about_to_make_data, driver, unit, path, error);
}

gboolean
urun_cgroup_request_wants_systemd (const UrunCgroupRequest *request)
{
  return request->unit != NULL || request->slice != NULL || request->description != NULL
         || request->collect || (request->properties != NULL && request->properties[0] != NULL);
}

const UrunSpecResources *
urun_cgroup_request_resources (const UrunCgroupRequest *request)
{
  return request->spec && request->spec->linux_ ? request->spec->linux_->resources : NULL;
}

gboolean
urun_cgroup_request_annotation_properties (const UrunCgroupRequest *request, GPtrArray *props,
                                           GError **error)
{
  if (request->spec == NULL)
    return TRUE;
  for (gsize i = 0; i < request->spec->n_annotations; i++)
    {
      const char *key = request->spec->annotations[i].key;

      if (g_str_has_prefix (key, "org.systemd.property.")
          && !urun_systemd_property_parse_annotation (key + strlen ("org.systemd.property."),
                                                      request->spec->annotations[i].value,
                                                      props, error))
        return FALSE;
    }
  return TRUE;
}

static const char *
best_effort_value (const UrunCgroupRequest *request)
{
  for (gsize i = 0; request->spec != NULL && i < request->spec->n_annotations; i++)
    if (g_strcmp0 (request->spec->annotations[i].key, URUN_CGROUP_BEST_EFFORT_ANNOTATION) == 0)
      return request->spec->annotations[i].value;
  return NULL;
}

gboolean
urun_cgroup_request_best_effort (const UrunCgroupRequest *request)
{
  return g_strcmp0 (best_effort_value (request), "true") == 0;
}

gboolean
urun_cgroup_request_check (const UrunCgroupRequest *request, GError **error)
{
  const char *best_effort = best_effort_value (request);

  g_autoptr (GPtrArray) props = urun_systemd_property_list_new ();
  g_autofree char *unit = NULL;
  g_autofree char *slice = NULL;

  if (urun_cgroup_request_wants_systemd (request)
      && (request->manager == URUN_CGROUP_MANAGER_CGROUPFS
          || request->manager == URUN_CGROUP_MANAGER_DISABLED))
    return urun_fail (error, URUN_ERROR_INVALID_ARGUMENT,
                      "--unit, --slice, --property, --description and --collect set up a "
                      "systemd scope, but --cgroup-manager %s was given; drop one or the other",
                      request->manager == URUN_CGROUP_MANAGER_CGROUPFS ? "cgroupfs" : "disabled");
  if (best_effort != NULL && g_strcmp0 (best_effort, "true") != 0
      && g_strcmp0 (best_effort, "false") != 0)
    return urun_fail (error, URUN_ERROR_INVALID_CONFIG,
                      "annotations[\"" URUN_CGROUP_BEST_EFFORT_ANNOTATION "\"]: expected `true` "
                      "or `false`, got `%s`", best_effort);
  for (gsize i = 0; request->properties != NULL && request->properties[i] != NULL; i++)
    if (!urun_systemd_property_parse (request->properties[i], props, error))
      return FALSE;
  if (!urun_cgroup_request_annotation_properties (request, props, error))
    return FALSE;
  if (urun_cgroup_request_wants_systemd (request)
      || request->manager == URUN_CGROUP_MANAGER_SYSTEMD)
    return urun_cgroup_systemd_names (request, &unit, &slice, error);
  return TRUE;
}
