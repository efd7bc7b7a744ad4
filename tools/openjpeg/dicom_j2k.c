/*
 * A plain C entry point over OpenJPEG for dicom-deno's JPEG 2000 codec
 * (lib/pixels/codecs/jpeg_2000.ts). Built to a standalone WebAssembly module by
 * tools/openjpeg/build.sh: no Emscripten JavaScript glue, no file system, no stdio.
 *
 * The caller copies a codestream into memory it got from dj_alloc, calls dj_decode,
 * reads the frame description with dj_info and the samples from dj_samples, then calls
 * dj_release. Messages from OpenJPEG are kept in a buffer (dj_message).
 *
 * Samples come out interleaved, clamped to the output type as the cornerstone build did:
 * precision <= 8: uint8; otherwise int16 (signed) or uint16 (unsigned).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "openjpeg.h"

#define EXPORT __attribute__((used, visibility("default")))

typedef struct {
  const uint8_t *data;
  OPJ_SIZE_T length;
  OPJ_SIZE_T position;
} source_t;

static OPJ_SIZE_T source_read(void *into, OPJ_SIZE_T count, void *user) {
  source_t *s = (source_t *)user;
  OPJ_SIZE_T left = s->length - s->position;
  if (left == 0) return (OPJ_SIZE_T)-1;
  if (count > left) count = left;
  memcpy(into, s->data + s->position, count);
  s->position += count;
  return count;
}

static OPJ_OFF_T source_skip(OPJ_OFF_T count, void *user) {
  source_t *s = (source_t *)user;
  if (count < 0) {
    if ((OPJ_SIZE_T)(-count) > s->position) return -1;
  } else if ((OPJ_SIZE_T)count > s->length - s->position) {
    count = (OPJ_OFF_T)(s->length - s->position);
  }
  s->position += count;
  return count;
}

static OPJ_BOOL source_seek(OPJ_OFF_T to, void *user) {
  source_t *s = (source_t *)user;
  if (to < 0 || (OPJ_SIZE_T)to > s->length) return OPJ_FALSE;
  s->position = (OPJ_SIZE_T)to;
  return OPJ_TRUE;
}

static char message[2048];
static size_t message_length;

static void keep(const char *kind, const char *text) {
  size_t room = sizeof(message) - 1 - message_length;
  size_t k = strlen(kind), t = strlen(text);
  if (k + t >= room) return;
  memcpy(message + message_length, kind, k);
  memcpy(message + message_length + k, text, t);
  message_length += k + t;
  message[message_length] = 0;
}

static void on_error(const char *text, void *user) {
  (void)user;
  keep("[ERROR] ", text);
}

static void on_warning(const char *text, void *user) {
  (void)user;
  keep("[WARNING] ", text);
}

/* The frame description: width, height, components, precision, signed, x0, y0,
 * reversible, colour space, bytes of samples. */
static int32_t info[10];
static uint8_t *samples;

static int clamp(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

/* sYCC to RGB for 3 components of which the chroma pair may be subsampled by 2 in x, or
 * in x and y (PS3.5 and IEC 61966-2-1 Amendment 1), integer results truncated. */
static int sycc_to_rgb(opj_image_t *img) {
  opj_image_comp_t *c = img->comps;
  if (img->numcomps < 3) return 1;
  int sx = (int)c[1].dx, sy = (int)c[1].dy;
  if (c[0].dx != 1 || c[0].dy != 1 || c[2].dx != c[1].dx || c[2].dy != c[1].dy) return 0;
  if (!((sx == 1 && sy == 1) || (sx == 2 && sy == 1) || (sx == 2 && sy == 2))) return 0;
  size_t w = c[0].w, h = c[0].h, cw = c[1].w;
  int prec = (int)c[0].prec, upper = (1 << prec) - 1, mid = 1 << (prec - 1);
  int *r = (int *)opj_image_data_alloc(w * h * sizeof(int));
  int *g = (int *)opj_image_data_alloc(w * h * sizeof(int));
  int *b = (int *)opj_image_data_alloc(w * h * sizeof(int));
  if (!r || !g || !b) {
    opj_image_data_free(r);
    opj_image_data_free(g);
    opj_image_data_free(b);
    return 0;
  }
  size_t odd = (sx == 2) ? (img->x0 & 1u) : 0;
  for (size_t y = 0; y < h; y++) {
    for (size_t x = 0; x < w; x++) {
      size_t i = y * w + x;
      int yy = c[0].data[i], cb = 0, cr = 0;
      if (!(odd && x == 0)) {
        size_t cx = (x - odd) / (size_t)sx, cy = y / (size_t)sy;
        if (cx >= cw) cx = cw - 1;
        if (cy >= c[1].h) cy = c[1].h - 1;
        cb = c[1].data[cy * cw + cx] - mid;
        cr = c[2].data[cy * cw + cx] - mid;
      }
      r[i] = clamp(yy + (int)(1.402f * (float)cr), 0, upper);
      g[i] = clamp(yy - (int)(0.344f * (float)cb + 0.714f * (float)cr), 0, upper);
      b[i] = clamp(yy + (int)(1.772f * (float)cb), 0, upper);
    }
  }
  int *planes[3] = {r, g, b};
  for (int k = 0; k < 3; k++) {
    opj_image_data_free(c[k].data);
    c[k].data = planes[k];
    c[k].w = (OPJ_UINT32)w;
    c[k].h = (OPJ_UINT32)h;
    c[k].dx = 1;
    c[k].dy = 1;
  }
  img->color_space = OPJ_CLRSPC_SRGB;
  return 1;
}

EXPORT uint8_t *dj_alloc(size_t size) { return (uint8_t *)malloc(size); }

EXPORT void dj_free(void *p) { free(p); }

EXPORT int32_t *dj_info(void) { return info; }

EXPORT uint8_t *dj_samples(void) { return samples; }

EXPORT const char *dj_message(void) { return message; }

EXPORT void dj_release(void) {
  free(samples);
  samples = NULL;
}

/* Decodes `length` bytes at `data` (a J2K codestream, or a JP2 file). Returns 0 on
 * success, else a step number (1 set-up, 2 header, 3 decode, 4 layout, 5 memory). */
EXPORT int dj_decode(const uint8_t *data, size_t length) {
  message_length = 0;
  message[0] = 0;
  dj_release();
  memset(info, 0, sizeof(info));
  int is_j2k = length >= 4 && data[0] == 0xff && data[1] == 0x4f && data[2] == 0xff &&
               data[3] == 0x51;
  opj_codec_t *codec = opj_create_decompress(is_j2k ? OPJ_CODEC_J2K : OPJ_CODEC_JP2);
  opj_image_t *image = NULL;
  source_t source = {data, length, 0};
  opj_stream_t *stream = opj_stream_create(length < 1048576 ? length + 1 : 1048576, OPJ_TRUE);
  int status = 0;
  opj_dparameters_t parameters;
  if (!codec || !stream) {
    status = 5;
    goto done;
  }
  opj_stream_set_user_data(stream, &source, NULL);
  opj_stream_set_user_data_length(stream, length);
  opj_stream_set_read_function(stream, source_read);
  opj_stream_set_skip_function(stream, source_skip);
  opj_stream_set_seek_function(stream, source_seek);
  opj_set_error_handler(codec, on_error, NULL);
  opj_set_warning_handler(codec, on_warning, NULL);
  opj_set_default_decoder_parameters(&parameters);
  if (!opj_setup_decoder(codec, &parameters)) {
    status = 1;
    goto done;
  }
  if (!opj_read_header(stream, codec, &image)) {
    status = 2;
    goto done;
  }
  if (!opj_decode(codec, stream, image)) {
    status = 3;
    goto done;
  }
  if (image->color_space != OPJ_CLRSPC_SYCC && image->numcomps == 3 &&
      image->comps[0].dx == image->comps[0].dy && image->comps[1].dx != 1) {
    image->color_space = OPJ_CLRSPC_SYCC;
  } else if (image->numcomps <= 2) {
    image->color_space = OPJ_CLRSPC_GRAY;
  }
  if (image->color_space == OPJ_CLRSPC_SYCC && !sycc_to_rgb(image)) {
    keep("[ERROR] ", "cannot convert this sYCC subsampling to RGB");
    status = 4;
    goto done;
  }
  {
    opj_codestream_info_v2_t *cs = opj_get_cstr_info(codec);
    int reversible = cs && cs->m_default_tile_info.tccp_info &&
                     cs->m_default_tile_info.tccp_info->qmfbid == 1;
    if (cs) opj_destroy_cstr_info(&cs);
    uint32_t n = image->numcomps;
    opj_image_comp_t *c = image->comps;
    size_t w = c[0].w, h = c[0].h;
    for (uint32_t k = 1; k < n; k++) {
      if (c[k].w != w || c[k].h != h) {
        keep("[ERROR] ", "components of different sizes");
        status = 4;
        goto done;
      }
    }
    int prec = (int)c[0].prec, sgnd = (int)c[0].sgnd;
    size_t bytes = prec <= 8 ? 1 : 2;
    size_t count = w * h * n;
    samples = (uint8_t *)malloc(count * bytes + 1);
    if (!samples) {
      status = 5;
      goto done;
    }
    if (bytes == 1) {
      for (uint32_t k = 0; k < n; k++) {
        const int *in = c[k].data;
        uint8_t *out = samples + k;
        for (size_t i = 0; i < w * h; i++) out[i * n] = (uint8_t)clamp(in[i], 0, 255);
      }
    } else if (sgnd) {
      int16_t *out16 = (int16_t *)samples;
      for (uint32_t k = 0; k < n; k++) {
        const int *in = c[k].data;
        for (size_t i = 0; i < w * h; i++) out16[i * n + k] = (int16_t)clamp(in[i], -32768, 32767);
      }
    } else {
      uint16_t *out16 = (uint16_t *)samples;
      for (uint32_t k = 0; k < n; k++) {
        const int *in = c[k].data;
        for (size_t i = 0; i < w * h; i++) out16[i * n + k] = (uint16_t)clamp(in[i], 0, 65535);
      }
    }
    info[0] = (int32_t)image->x1;
    info[1] = (int32_t)image->y1;
    info[2] = (int32_t)n;
    info[3] = prec;
    info[4] = sgnd;
    info[5] = (int32_t)image->x0;
    info[6] = (int32_t)image->y0;
    info[7] = reversible;
    info[8] = (int32_t)image->color_space;
    info[9] = (int32_t)(count * bytes);
  }
done:
  if (stream) opj_stream_destroy(stream);
  if (codec) opj_destroy_codec(codec);
  if (image) opj_image_destroy(image);
  return status;
}
