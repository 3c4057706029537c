"""Indonesian dates and numbers, letter-number patterns, verification codes."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from reports import formatting
from reports.models import validate_number_pattern
from reports.numbering import normalize_code
from reports.templatetags.reports_tags import keep_hyphenated

INDEPENDENCE_DAY = datetime.date(2026, 8, 17)  # a Monday


def test_dates_in_indonesian():
    assert formatting.tanggal(INDEPENDENCE_DAY) == "17 Agustus 2026"
    assert formatting.hari_tanggal(INDEPENDENCE_DAY) == "Senin, 17 Agustus 2026"
    assert formatting.hari_tanggal(datetime.date(2026, 1, 4)) == "Minggu, 4 Januari 2026"
    assert formatting.bulan_romawi(INDEPENDENCE_DAY) == "VIII"


def test_local_time_with_zone(settings):
    moment = datetime.datetime(2026, 8, 17, 2, 30, tzinfo=datetime.UTC)
    assert formatting.waktu(moment) == "17 Agustus 2026 pukul 09.30 WIB"
    settings.TIME_ZONE = "Asia/Makassar"
    assert formatting.waktu(moment) == "17 Agustus 2026 pukul 10.30 WITA"
    settings.TIME_ZONE = "Asia/Jayapura"
    moment = datetime.datetime(2026, 8, 17, 16, 0, tzinfo=datetime.UTC)
    assert formatting.waktu(moment) == "18 Agustus 2026 pukul 01.00 WIT"  # the local date


def test_numbers_and_dates_in_words_for_a_berita_acara():
    assert formatting.terbilang(17) == "tujuh belas"
    assert formatting.terbilang(2026) == "dua ribu dua puluh enam"
    assert formatting.terbilang(11) == "sebelas"
    assert formatting.pembuka_berita_acara(INDEPENDENCE_DAY) == (
        "Pada hari ini Senin tanggal tujuh belas bulan Agustus tahun dua ribu dua puluh enam"
    )


def test_durations():
    assert formatting.durasi(datetime.timedelta(days=2, hours=3, minutes=5)) == "2 hari 3 jam"
    assert formatting.durasi(datetime.timedelta(minutes=45)) == "45 menit"
    assert formatting.durasi(datetime.timedelta(hours=1)) == "1 jam"


@pytest.mark.parametrize(
    "pattern",
    ["000.8.3.3/{seq}/DISKOMINFO/{year}", "{seq:03d}/TT/{month}/{year}"],
)
def test_valid_number_patterns(pattern):
    validate_number_pattern(pattern)


@pytest.mark.parametrize(
    "pattern",
    [
        "000.8.3.3/DISKOMINFO/{year}",  # no counter
        "000.8.3.3/{seq}/DISKOMINFO",  # no year: numbers would repeat next year
        "{seq}/{year}/{agenda}",  # unknown field
        "{seq}/{year}/{",  # broken braces
        "{seq:q}/{year}",  # bad format spec
    ],
)
def test_invalid_number_patterns(pattern):
    with pytest.raises(ValidationError):
        validate_number_pattern(pattern)


def test_verification_codes_survive_retyping():
    assert normalize_code("7kq2-m9xd") == "7KQ2M9XD"
    assert normalize_code(" 7KQ2 M9XD ") == "7KQ2M9XD"
    assert normalize_code("O1IL-0000") == "0111" + "0000"  # O→0, I/L→1
    assert normalize_code("7KQ2-M9X") is None
    assert normalize_code("7KQ2-M9XU") is None  # U is not in the alphabet
    assert normalize_code("../../etc") is None


def test_a_hyphenated_word_is_kept_on_one_line_and_the_rest_escaped():
    assert keep_hyphenated("Kepala Bidang Layanan e-Government") == (
        'Kepala Bidang Layanan <span class="nowrap">e-Government</span>'
    )
    assert keep_hyphenated("Plt. <Kasi> & Sub-Bagian-Umum") == (
        'Plt. &lt;Kasi&gt; &amp; <span class="nowrap">Sub-Bagian-Umum</span>'
    )
    assert keep_hyphenated("Kepala Dinas") == "Kepala Dinas"
