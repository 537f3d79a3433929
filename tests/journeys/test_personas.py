"""Personas: the services and their rules, the photo upload, segments, the pages and who may use them."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from cxportal.errors import ApplicationError
from journeys import selectors, services
from journeys.forms.people import PersonaForm, key_value_lines_parse
from journeys.models import Customer, Persona
from journeys.services.personas import PHOTO_MAX_BYTES
from tests.journeys.factories import CustomerFactory, JourneyMapFactory, PersonaFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

XSS = '<script>alert("x")</script>'
TEXT_FIELDS = [
    "role",
    "age_range",
    "gender",
    "location",
    "occupation",
    "description",
    "goals",
    "challenges",
    "preferences",
    "motivations",
    "quote",
]


def stored_files(media_root) -> list:
    return sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []


def image_upload(fmt="PNG", size=(800, 600), mode="RGB", name=None, exif=False) -> SimpleUploadedFile:
    image = Image.new(mode, size, (200, 30, 30) if mode == "RGB" else (200, 30, 30, 128))
    out = BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010E] = "secret description"  # ImageDescription
        data[0x013B] = "Jane Photographer"  # Artist
        kwargs["exif"] = data.tobytes()
    image.save(out, format=fmt, **kwargs)
    content_type = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}[fmt]
    return SimpleUploadedFile(name or f"photo.{fmt.lower()}", out.getvalue(), content_type=content_type)


# --- services: fields and rules ------------------------------------------------------------------


def test_persona_create_stores_every_field():
    persona = services.persona_create(
        name="  IT lead ",
        role="Head of IT",
        age_range="35–50",
        gender="female",
        location="Stuttgart",
        occupation="Wholesale",
        description="Leads a team of six.",
        goals="A modern landscape",
        challenges="Legacy ERP",
        preferences="Video calls",
        motivations="Recognition",
        preferred_channels=["email", "event", "email"],
        quote="Show me it works.",
        attributes={"Company size": "200–500"},
        segment_rule={"segment": "mid_market"},
    )

    persona.refresh_from_db()
    assert persona.name == "IT lead"
    assert persona.preferred_channels == ["email", "event"]
    assert persona.attributes == {"Company size": "200–500"}
    assert persona.segment_rule == {"segment": "mid_market"}
    assert (persona.location, persona.motivations) == ("Stuttgart", "Recognition")


def test_persona_name_must_be_unique_ignoring_case():
    PersonaFactory(name="IT lead")

    with pytest.raises(ValidationError) as exc:
        services.persona_create(name="it LEAD")

    assert "name" in exc.value.message_dict
    assert Persona.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("preferred_channels", ["email", "fax"]),
        ("preferred_channels", "email"),
        ("attributes", {"size": {"nested": "no"}}),
        ("attributes", {"size": 5}),
        ("attributes", ["not", "a", "dict"]),
        ("segment_rule", {"segment": {"nested": 1}}),
        ("segment_rule", {"segment": ["a", "b"]}),
        ("segment_rule", {"bad key!": "x"}),
        ("segment_rule", {"a__b": "x"}),
        ("segment_rule", {"123": "x"}),
        ("segment_rule", "segment=x"),
    ],
)
def test_persona_create_refuses_bad_structured_fields(field, value):
    with pytest.raises(ValidationError) as exc:
        services.persona_create(name="P", **{field: value})

    assert field in exc.value.message_dict
    assert not Persona.objects.exists()


def test_persona_update_changes_only_given_fields_and_checks_the_rules():
    persona = services.persona_create(name="Buyer", role="Purchasing", quote="Cheaper!")

    services.persona_update(persona=persona, data={"role": "Head of purchasing", "preferred_channels": ["phone"]})
    persona.refresh_from_db()
    assert (persona.role, persona.quote, persona.preferred_channels) == ("Head of purchasing", "Cheaper!", ["phone"])

    with pytest.raises(ValidationError):
        services.persona_update(persona=persona, data={"preferred_channels": ["telex"]})
    persona.refresh_from_db()
    assert persona.preferred_channels == ["phone"]


def test_persona_update_refuses_the_name_of_another_persona():
    PersonaFactory(name="Buyer")
    other = PersonaFactory(name="User")

    with pytest.raises(ValidationError) as exc:
        services.persona_update(persona=other, data={"name": "BUYER"})

    assert "name" in exc.value.message_dict


def test_persona_delete_keeps_its_customers_without_persona():
    persona = PersonaFactory()
    customer = CustomerFactory(persona=persona)

    services.persona_delete(persona=persona)

    customer.refresh_from_db()
    assert customer.persona is None
    assert not Persona.objects.exists()


# --- photo ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "GIF"])
def test_photo_is_reencoded_to_a_small_png(fmt, media_root):
    persona = PersonaFactory()

    services.persona_photo_set(persona=persona, upload=image_upload(fmt, size=(1600, 1200)))

    persona.refresh_from_db()
    assert persona.photo.name.startswith("personas/") and persona.photo.name.endswith(".png")
    with Image.open(persona.photo.path) as stored:
        assert stored.format == "PNG"
        assert max(stored.size) == 512
        assert stored.size == (512, 384)


def test_photo_metadata_is_stripped(media_root):
    persona = PersonaFactory()
    upload = image_upload("JPEG", size=(300, 200), exif=True)
    with Image.open(BytesIO(upload.read())) as original:
        assert original.getexif()[0x013B] == "Jane Photographer"
    upload.seek(0)

    services.persona_photo_set(persona=persona, upload=upload)

    persona.refresh_from_db()
    raw = open(persona.photo.path, "rb").read()  # noqa: SIM115
    assert b"Jane Photographer" not in raw and b"secret description" not in raw
    with Image.open(persona.photo.path) as stored:
        assert not stored.getexif()
        assert "exif" not in stored.info
        assert stored.size == (300, 200)  # small photos are not enlarged


def test_photo_with_transparency_keeps_its_alpha_channel():
    persona = PersonaFactory()

    services.persona_photo_set(persona=persona, upload=image_upload("PNG", size=(64, 64), mode="RGBA"))

    with Image.open(persona.photo.path) as stored:
        assert stored.mode == "RGBA"


def test_replacing_a_photo_removes_the_old_file(media_root, django_capture_on_commit_callbacks):
    persona = PersonaFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.persona_photo_set(persona=persona, upload=image_upload())
        services.persona_photo_set(persona=persona, upload=image_upload("JPEG"))

    assert stored_files(media_root) == [media_root / persona.photo.name]


def test_a_20_mb_photo_is_refused_and_nothing_is_stored(media_root):
    persona = PersonaFactory()
    big = SimpleUploadedFile("huge.png", b"\x89PNG\r\n\x1a\n" + b"\0" * (20 * 1024 * 1024), content_type="image/png")

    with pytest.raises(ValidationError) as exc:
        services.persona_photo_set(persona=persona, upload=big)

    assert "at most 5 MB" in exc.value.message_dict["photo"][0]
    persona.refresh_from_db()
    assert not persona.photo
    assert stored_files(media_root) == []


def test_a_photo_just_over_the_limit_is_refused():
    persona = PersonaFactory()
    upload = SimpleUploadedFile("p.png", b"x" * (PHOTO_MAX_BYTES + 1))

    with pytest.raises(ValidationError):
        services.persona_photo_set(persona=persona, upload=upload)


@pytest.mark.parametrize(
    "content",
    [
        b"just some text, not an image\n",
        b"<html><body><script>alert(1)</script></body></html>",
        b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
        b"\x89PNG\r\n\x1a\n" + b"truncated garbage" * 10,
    ],
    ids=["text", "html", "svg", "broken-png"],
)
def test_a_non_image_renamed_png_is_refused_and_nothing_is_stored(content, media_root):
    persona = PersonaFactory()

    with pytest.raises(ValidationError) as exc:
        services.persona_photo_set(
            persona=persona, upload=SimpleUploadedFile("photo.png", content, content_type="image/png")
        )

    assert "photo" in exc.value.message_dict
    persona.refresh_from_db()
    assert not persona.photo
    assert stored_files(media_root) == []


def test_an_image_with_huge_dimensions_is_refused_before_decoding(media_root):
    persona = PersonaFactory()
    # A 5000×5000 black PNG compresses to a few KB: small file, big decoded size.
    upload = image_upload("PNG", size=(5000, 5000))
    assert upload.size < PHOTO_MAX_BYTES

    with pytest.raises(ValidationError) as exc:
        services.persona_photo_set(persona=persona, upload=upload)

    assert "5000×5000" in exc.value.message_dict["photo"][0]
    assert stored_files(media_root) == []


def test_persona_create_with_a_bad_photo_creates_nothing(media_root):
    with pytest.raises(ValidationError):
        services.persona_create(name="P", photo=SimpleUploadedFile("p.png", b"<html></html>"))

    assert not Persona.objects.exists()
    assert stored_files(media_root) == []


# --- segments ------------------------------------------------------------------------------------


def test_segment_customers_match_every_key_of_the_rule():
    persona = PersonaFactory(segment_rule={"segment": "manufacturing", "region": "south"})
    match = CustomerFactory(attributes={"segment": "manufacturing", "region": "south", "size": "large"})
    CustomerFactory(attributes={"segment": "manufacturing", "region": "north"})
    CustomerFactory(attributes={"segment": "retail", "region": "south"})
    CustomerFactory(attributes={})

    assert list(selectors.persona_segment_customers(persona)) == [match]


def test_segment_rule_compares_json_values_and_keys_named_like_lookups_are_keys():
    persona = PersonaFactory(segment_rule={"contains": "x", "employees": 250, "isnull": "no"})
    match = CustomerFactory(attributes={"contains": "x", "employees": 250, "isnull": "no"})
    CustomerFactory(attributes={"contains": "x", "employees": "250", "isnull": "no"})
    CustomerFactory(attributes={"contains": "y", "employees": 250, "isnull": "no"})

    assert list(selectors.persona_segment_customers(persona)) == [match]


def test_persona_without_a_rule_has_no_segment():
    persona = PersonaFactory(segment_rule={})
    CustomerFactory(attributes={"segment": "x"})

    assert list(selectors.persona_segment_customers(persona)) == []
    assert selectors.persona_segment_counts([persona]) == {persona.pk: 0}


def test_segment_counts_of_many_personas_take_one_query(django_assert_num_queries):
    personas = [PersonaFactory(segment_rule={"segment": f"s{i}"}) for i in range(5)]
    for i in range(5):
        for _ in range(i):
            CustomerFactory(attributes={"segment": f"s{i}"})

    with django_assert_num_queries(1):
        counts = selectors.persona_segment_counts(personas)

    assert [counts[p.pk] for p in personas] == [0, 1, 2, 3, 4]


def test_assign_segment_sets_the_persona_of_matching_customers_and_counts_changes():
    persona = PersonaFactory(segment_rule={"segment": "manufacturing"})
    other = PersonaFactory()
    already = CustomerFactory(persona=persona, attributes={"segment": "manufacturing"})
    moved = CustomerFactory(persona=other, attributes={"segment": "manufacturing"})
    new = CustomerFactory(attributes={"segment": "manufacturing"})
    outside = CustomerFactory(attributes={"segment": "retail"})

    assert services.persona_assign_segment(persona=persona) == 2

    assert set(Customer.objects.filter(persona=persona)) == {already, moved, new}
    outside.refresh_from_db()
    assert outside.persona is None


def test_assign_segment_without_a_rule_is_refused():
    with pytest.raises(ApplicationError):
        services.persona_assign_segment(persona=PersonaFactory(segment_rule={}))


# --- forms ---------------------------------------------------------------------------------------


def test_key_value_lines_report_each_bad_line():
    with pytest.raises(ValidationError) as exc:
        key_value_lines_parse("segment: manufacturing\nno colon here\n\n: empty key\nsegment: again")

    assert exc.value.messages == [
        "Line 2: write “name: value”.",
        "Line 4: write “name: value”.",
        "Line 5: “segment” is given twice.",
    ]


def test_key_value_lines_keep_colons_in_values():
    assert key_value_lines_parse(" Website : https://example.com \n\n") == {"Website": "https://example.com"}


def test_persona_form_shows_per_line_errors_on_the_field():
    form = PersonaForm({"name": "P", "attributes": "ok: 1\nbroken", "segment_rule": "nope"})

    assert not form.is_valid()
    assert form.errors["attributes"] == ["Line 2: write “name: value”."]
    assert form.errors["segment_rule"] == ["Line 1: write “name: value”."]


# --- pages and permissions -----------------------------------------------------------------------


def test_manager_creates_a_persona_with_channels_attributes_rule_and_photo(client, manager):
    client.force_login(manager)

    response = client.post(
        reverse("journeys:persona_create"),
        {
            "name": "Head of production",
            "role": "Production",
            "preferred_channels": ["phone", "event"],
            "attributes": "Company size: 140\nShifts: 2",
            "segment_rule": "segment: manufacturing",
            "photo": image_upload("JPEG"),
        },
    )

    persona = Persona.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("journeys:persona_detail", args=[persona.pk])
    assert persona.preferred_channels == ["phone", "event"]
    assert persona.attributes == {"Company size": "140", "Shifts": "2"}
    assert persona.segment_rule == {"segment": "manufacturing"}
    assert persona.photo.name.endswith(".png")


def test_create_form_with_a_non_image_shows_the_error_and_creates_nothing(client, manager, media_root):
    client.force_login(manager)

    response = client.post(
        reverse("journeys:persona_create"),
        {"name": "P", "photo": SimpleUploadedFile("p.png", b"<html><script>x</script></html>", "image/png")},
    )

    assert response.status_code == 200
    assert "Upload a PNG, JPEG, WebP or GIF image." in response.content.decode()
    assert not Persona.objects.exists()
    assert stored_files(media_root) == []


def test_create_form_with_a_duplicate_name_shows_the_error(client, manager):
    PersonaFactory(name="Buyer")
    client.force_login(manager)

    response = client.post(reverse("journeys:persona_create"), {"name": "buyer"})

    assert response.status_code == 200
    assert "A persona with this name already exists." in response.content.decode()


def test_manager_edits_a_persona_and_removes_its_photo(client, manager):
    persona = PersonaFactory(name="Buyer", preferred_channels=["email"])
    services.persona_photo_set(persona=persona, upload=image_upload())
    client.force_login(manager)

    page = client.get(reverse("journeys:persona_edit", args=[persona.pk])).content.decode()
    assert 'value="Buyer"' in page

    response = client.post(
        reverse("journeys:persona_edit", args=[persona.pk]),
        {"name": "Buyer", "role": "Purchasing", "preferred_channels": ["chat"], "photo_remove": "on"},
    )

    assert response.status_code == 302
    persona.refresh_from_db()
    assert (persona.role, persona.preferred_channels) == ("Purchasing", ["chat"])
    assert not persona.photo


def test_manager_deletes_a_persona_after_confirming(client, manager):
    persona = PersonaFactory()
    client.force_login(manager)

    assert client.get(reverse("journeys:persona_delete", args=[persona.pk])).status_code == 200
    assert Persona.objects.exists()
    response = client.post(reverse("journeys:persona_delete", args=[persona.pk]))

    assert response.status_code == 302
    assert not Persona.objects.exists()


def test_assign_segment_button_reports_how_many_customers_were_assigned(client, manager):
    persona = PersonaFactory(segment_rule={"segment": "x"})
    CustomerFactory.create_batch(3, attributes={"segment": "x"})
    client.force_login(manager)

    response = client.post(reverse("journeys:persona_assign_segment", args=[persona.pk]), follow=True)

    assert "3 customers assigned" in response.content.decode()
    assert persona.customers.count() == 3


def test_member_can_view_personas_but_not_change_them(client, sales_member):
    persona = PersonaFactory(segment_rule={"segment": "x"})
    client.force_login(sales_member)

    assert client.get(reverse("journeys:persona_list")).status_code == 200
    assert client.get(reverse("journeys:persona_detail", args=[persona.pk])).status_code == 200
    assert client.get(reverse("journeys:persona_create")).status_code == 403
    assert client.post(reverse("journeys:persona_create"), {"name": "New"}).status_code == 403
    assert client.get(reverse("journeys:persona_edit", args=[persona.pk])).status_code == 403
    assert client.post(reverse("journeys:persona_edit", args=[persona.pk]), {"name": "X"}).status_code == 403
    assert client.post(reverse("journeys:persona_delete", args=[persona.pk])).status_code == 403
    assert client.post(reverse("journeys:persona_assign_segment", args=[persona.pk])).status_code == 403
    persona.refresh_from_db()
    assert persona.name != "X"


def test_member_detail_page_offers_no_edit_buttons(client, sales_member):
    persona = PersonaFactory()
    client.force_login(sales_member)

    page = client.get(reverse("journeys:persona_detail", args=[persona.pk])).content.decode()

    assert reverse("journeys:persona_edit", args=[persona.pk]) not in page
    assert reverse("journeys:persona_delete", args=[persona.pk]) not in page


def test_user_without_role_and_anonymous_cannot_see_personas(client, django_user_model):
    persona = PersonaFactory()
    assert client.get(reverse("journeys:persona_list")).status_code == 302

    client.force_login(django_user_model.objects.create_user("nobody"))
    assert client.get(reverse("journeys:persona_list")).status_code == 403
    assert client.get(reverse("journeys:persona_photo", args=[persona.pk])).status_code == 403


def test_persona_list_shows_cards_with_counts_in_a_fixed_number_of_queries(
    client, manager, django_assert_max_num_queries
):
    for i in range(8):
        persona = PersonaFactory(name=f"P{i}", quote=f"Quote {i}", segment_rule={"segment": f"s{i}"})
        JourneyMapFactory().personas.add(persona)
        CustomerFactory.create_batch(2, attributes={"segment": f"s{i}"})
    client.force_login(manager)

    with django_assert_max_num_queries(8):
        page = client.get(reverse("journeys:persona_list")).content.decode()

    assert page.count("1 journey map ·") == 8
    assert page.count("2 customers in segment") == 8
    assert "“Quote 3”" in page


def test_persona_detail_shows_fields_maps_and_customer_count(client, manager):
    persona = PersonaFactory(
        name="IT lead",
        location="Stuttgart",
        preferred_channels=["chat"],
        attributes={"Team": "6 people"},
        segment_rule={"segment": "mid"},
    )
    JourneyMapFactory(name="IT consulting").personas.add(persona)
    CustomerFactory(persona=persona)
    CustomerFactory(attributes={"segment": "mid"})
    client.force_login(manager)

    page = client.get(reverse("journeys:persona_detail", args=[persona.pk])).content.decode()

    assert "Stuttgart" in page and "Live chat" in page and "6 people" in page
    assert "IT consulting" in page
    assert "1 customer assigned" in page
    assert "1 customer matches the rule" in page
    assert "KPI" not in page


def test_every_persona_text_is_escaped_on_list_and_detail(client, manager):
    persona = PersonaFactory(
        name=XSS,
        **{field: XSS for field in TEXT_FIELDS if field not in ("age_range",)},
        age_range="<b>1</b>",
        attributes={XSS: XSS},
        segment_rule={"segment": XSS},
    )
    client.force_login(manager)

    for url in (reverse("journeys:persona_list"), reverse("journeys:persona_detail", args=[persona.pk])):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page
        assert "<b>1</b>" not in page
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_photo_view_serves_the_png_to_members(client, sales_member):
    persona = PersonaFactory()
    services.persona_photo_set(persona=persona, upload=image_upload("JPEG"))
    client.force_login(sales_member)

    response = client.get(reverse("journeys:persona_photo", args=[persona.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_photo_view_is_404_without_a_photo(client, manager):
    client.force_login(manager)

    assert client.get(reverse("journeys:persona_photo", args=[PersonaFactory().pk])).status_code == 404
    assert client.get(reverse("journeys:persona_photo", args=[999999])).status_code == 404
