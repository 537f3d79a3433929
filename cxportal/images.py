"""Uploaded images (persona photos, the company logo): checked and re-encoded as a small PNG without metadata."""

import warnings
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}


def png_reencode(upload, *, field: str, max_bytes: int, max_side: int, stored_side: int, name: str) -> ContentFile:
    """Check an uploaded image and return it re-encoded as a PNG of at most ``stored_side`` pixels a side.

    Refused (ValidationError on ``field``): more than ``max_bytes``, anything Pillow cannot open as a
    PNG/JPEG/WebP/GIF, more than ``max_side`` pixels a side (checked from the header, before decoding, so a
    decompression bomb is never expanded), or a file that fails to decode. The PNG carries no EXIF, ICC
    profile, text chunks or comments of the upload.
    """
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
    if size > max_bytes:
        raise ValidationError(
            {
                field: _("The image is %(size).1f MB; at most %(max)d MB.")
                % {"size": size / 1024 / 1024, "max": max_bytes // 1024 // 1024}
            }
        )
    not_an_image = ValidationError({field: _("Upload a PNG, JPEG, WebP or GIF image.")})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            with Image.open(upload) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise not_an_image
                width, height = probe.size
                if width > max_side or height > max_side:
                    raise ValidationError(
                        {
                            field: _("The image is %(width)d×%(height)d px; at most %(max)d×%(max)d.")
                            % {"width": width, "height": height, "max": max_side}
                        }
                    )
                probe.verify()
            upload.seek(0)
            with Image.open(upload) as image:
                image = ImageOps.exif_transpose(image)  # keep the image upright once EXIF is gone
                has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
                image = image.convert("RGBA" if has_alpha else "RGB")
                image.thumbnail((stored_side, stored_side), Image.Resampling.LANCZOS)
                clean = Image.new(image.mode, image.size)
                clean.paste(image)
                out = BytesIO()
                clean.save(out, format="PNG", optimize=True)
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise not_an_image from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ValidationError({field: _("The image is damaged and cannot be read.")}) from exc
    return ContentFile(out.getvalue(), name=name)
