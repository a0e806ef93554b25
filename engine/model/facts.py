"""The facts an audit is judged on, as a validated model.

Facts are evidence: documents with their dates and signatories, publications with their
channel, inventory items, dated events, log entries. No field is a yes/no named after an
article; whether an article is met is the rules' business, not the facts'.

Everything the regulations can be judged on is optional. A field that is absent means
"not known" and leads to an `unknown` finding naming that field; an empty list means
"looked, found none" and can lead to a violation; for a single document the same is said
with `tidak_ada` (e.g. `sop: tidak_ada`). Unknown keys are refused, so a typo never
silently becomes "absent".
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, StrictInt, model_validator

from ..skm.method import weights_for  # the one place the weight rule is written

# "Looked, found none" for a single document, as `[]` is for a list: an inspector writes
# `sop: tidak_ada`. A field left out still means "not examined".
NOT_PRESENT = "tidak_ada"
NotPresent = Literal["tidak_ada"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# Figures a person types into a facts file: whole numbers, never true or false (YAML reads
# `yes` as true, and pydantic would count it as 1), within what a unit can have; a figure
# beyond the bound is a slip of the keyboard, and the field is named.
PEOPLE_AT_MOST = 300_000_000  # more than Indonesia's population: no survey or forum counts more
ITEMS_AT_MOST = 100_000  # of one facility, staff of one unit, signatures on one berita acara
RUPIAH_AT_MOST = 10**12  # a fee or a compensation, in Rupiah


def whole_number(at_least: int = 0, at_most: int = ITEMS_AT_MOST) -> Any:
    return Field(default=None, ge=at_least, le=at_most, strict=True)


def figure(at_least: float, at_most: float) -> Any:
    """A number that may have decimals (an index, a score), never true or false."""
    return Field(default=None, ge=at_least, le=at_most, strict=True)


# An amount inside a union (`tidak_ada` or a sum); a field of its own uses figure(), whose type the
# web interview reads to turn a typed answer into a number.
Rupiah = Annotated[float, Field(ge=0, le=RUPIAH_AT_MOST, strict=True)]


def year_number() -> Any:
    return whole_number(1945, 2100)


class OrganisationType(str, Enum):
    perangkat_daerah = "perangkat_daerah"
    bumd = "bumd"
    swasta = "swasta"


class Medium(str, Enum):
    """Tegal Pasal 7 ayat (2)-(5): electronic (website, social media, apps) or not."""

    elektronik = "elektronik"
    non_elektronik = "non_elektronik"


class Role(str, Enum):
    """Who signed or established a document; Pasal 4 ayat (5) and Pasal 5 ayat (3) name one."""

    atasan_satuan_kerja = "atasan_satuan_kerja"
    kepala_organisasi_penyelenggara = "kepala_organisasi_penyelenggara"
    kepala_upp = "kepala_upp"
    bupati = "bupati"
    walikota = "walikota"
    lainnya = "lainnya"


class Person(Strict):
    name: Optional[str] = None
    position: Optional[str] = None
    role: Optional[Role] = None


class DocumentReference(Strict):
    """Any formal document: a decree, a standard, a report."""

    number: Optional[str] = None
    title: Optional[str] = None
    dated: Optional[date] = None


class ParticipantCategory(str, Enum):
    """Tegal Pasal 4 ayat (4): who takes part in drafting a standar pelayanan."""

    masyarakat_pengguna_layanan = "masyarakat_pengguna_layanan"
    ahli_praktisi_akademisi = "ahli_praktisi_akademisi"
    instansi_terkait = "instansi_terkait"
    organisasi_masyarakat_sipil = "organisasi_masyarakat_sipil"
    media_massa = "media_massa"
    lainnya = "lainnya"
    # Sanggau Pasal 6 ayat (2) huruf b names these groups too
    tokoh_masyarakat = "tokoh_masyarakat"
    dunia_usaha = "dunia_usaha"
    organisasi_profesi = "organisasi_profesi"
    ombudsman = "ombudsman"


class Participant(Strict):
    category: ParticipantCategory
    name: Optional[str] = None
    represents: Optional[str] = None
    signed_berita_acara: Optional[bool] = None


class BeritaAcara(Strict):
    """Minutes of the drafting forum (Lampiran I huruf D)."""

    number: Optional[str] = None
    dated: Optional[date] = None
    signatory_count: Optional[int] = whole_number()
    known_by_atasan: Optional[bool] = None


class DraftingForum(Strict):
    held_on: Optional[date] = None
    method: Optional[str] = None
    # The Rancangan Standar Pelayanan put to the forum as discussion material (Tegal Lampiran I huruf C)
    draft: Optional[Union[DocumentReference, NotPresent]] = None
    participants: Optional[list[Participant]] = None
    berita_acara: Optional[Union[BeritaAcara, NotPresent]] = None


class StandarComponent(str, Enum):
    """The 14 components: 6 for service delivery, 8 for internal management."""

    persyaratan = "persyaratan"
    sistem_mekanisme_prosedur = "sistem_mekanisme_prosedur"
    jangka_waktu = "jangka_waktu"
    biaya_tarif = "biaya_tarif"
    produk_pelayanan = "produk_pelayanan"
    penanganan_pengaduan = "penanganan_pengaduan"
    dasar_hukum = "dasar_hukum"
    sarana_prasarana = "sarana_prasarana"
    kompetensi_pelaksana = "kompetensi_pelaksana"
    pengawasan_internal = "pengawasan_internal"
    jumlah_pelaksana = "jumlah_pelaksana"
    jaminan_pelayanan = "jaminan_pelayanan"
    jaminan_keamanan_keselamatan = "jaminan_keamanan_keselamatan"
    evaluasi_kinerja_pelaksana = "evaluasi_kinerja_pelaksana"


class StandarRevision(Strict):
    dated: date
    reason: Optional[str] = None
    document: Optional[DocumentReference] = None


class CostStatedAs(str, Enum):
    """How the standard's cost component reads, as the inspector saw it (Metro Lampiran BAB III huruf A angka 4 huruf f)."""

    besaran = "besaran"          # an amount is written (Rp ..., or a tariff table)
    gratis = "gratis"            # written as free of charge
    tidak_jelas = "tidak_jelas"  # written without an amount or the word free ("sesuai ketentuan", "menyesuaikan")


class CostStatement(Strict):
    """What the standard's cost component says; `tidak_ada` for a standard that states no cost at all."""

    stated_as: Optional[CostStatedAs] = None
    wording: Optional[str] = None  # as printed, e.g. "Rp 0 (gratis)", "sesuai Perda Nomor 5 Tahun 2017"


class StandarPelayanan(Strict):
    document: Optional[DocumentReference] = None
    established_on: Optional[date] = None
    established_by: Optional[Person] = None
    components: Optional[list[StandarComponent]] = None
    cost: Optional[Union[CostStatement, NotPresent]] = None
    drafting_forum: Optional[Union[DraftingForum, NotPresent]] = None
    revisions: Optional[list[StandarRevision]] = None


class ServiceType(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    standar_pelayanan: Optional[Union[StandarPelayanan, NotPresent]] = None
    sop: Optional[Union[DocumentReference, NotPresent]] = None


class EnforcementRules(Strict):
    """A document setting how the code of ethics and conduct is enforced, and who set it."""

    document: Optional[DocumentReference] = None
    established_by: Optional[Person] = None


class Organisation(Strict):
    name: str
    type: OrganisationType
    region: str
    atasan_satuan_kerja: Optional[Person] = None
    formed_on: Optional[date] = None
    parent_institution: Optional[str] = None
    # A one-stop licensing office (PTSP): Metro Pasal 1 ayat (3) gives its standard to the Walikota.
    licensing_office: Optional[bool] = None
    # Regional holidays and other days the unit was closed by decision: not working days.
    local_days_off: Optional[list[date]] = None
    # The rules on enforcing the staff code of ethics and conduct set by the Atasan Satuan Kerja
    # (Tegal Pasal 13 ayat (2), (3)), and how many Pelaksana are not ASN (honorary, contract staff).
    code_of_ethics_enforcement: Optional[Union["EnforcementRules", NotPresent]] = None
    non_asn_pelaksana: Optional[int] = whole_number()


class DocumentKind(str, Enum):
    """What a publication made public."""

    standar_pelayanan = "standar_pelayanan"
    maklumat = "maklumat"
    ikm = "ikm"
    laporan_skm = "laporan_skm"
    sop = "sop"
    mekanisme_pengaduan = "mekanisme_pengaduan"
    informasi_pelayanan = "informasi_pelayanan"
    statistik_pengaduan = "statistik_pengaduan"
    kerja_sama = "kerja_sama"
    rencana_tindak_lanjut_skm = "rencana_tindak_lanjut_skm"  # Sanggau Lampiran II huruf F angka 2
    lainnya = "lainnya"


class Publication(Strict):
    document: DocumentKind
    service_type: Optional[str] = None
    medium: Medium
    channel: str
    published_on: Optional[date] = None
    location: Optional[str] = None
    year_covered: Optional[int] = year_number()
    # The month a monthly publication covers, as printed on it, written as its first day (2024-03-01 = March 2024)
    month_covered: Optional[str] = Field(default=None, pattern=r"^\d{4}-(0[1-9]|1[0-2])-01$")


class MaklumatStatementKind(str, Enum):
    """Madiun Pasal 11 ayat (3) huruf a-c: what the charter's statements say, as the inspector reads them."""

    janji_kesanggupan = "janji_kesanggupan"
    perbaikan_terus_menerus = "perbaikan_terus_menerus"
    sanksi_kompensasi = "sanksi_kompensasi"
    lainnya = "lainnya"


class Maklumat(Strict):
    document: Optional[DocumentReference] = None
    established_on: Optional[date] = None
    established_by: Optional[Person] = None
    statements: Optional[list[str]] = None
    # The kinds of statement the charter contains (Madiun Pasal 11 ayat (3)); `[]` = none of them.
    statement_kinds: Optional[list[MaklumatStatementKind]] = None


class UpdateFrequency(str, Enum):
    """Tegal Pasal 7 ayat (4)."""

    harian = "harian"
    mingguan = "mingguan"
    bulanan = "bulanan"
    enam_bulanan = "enam_bulanan"
    tahunan = "tahunan"


class OnlineChannel(Strict):
    kind: str
    address: str
    managed_by_unit: Optional[bool] = None


class InformationServices(Strict):
    online_channels: Optional[list[OnlineChannel]] = None
    non_electronic_places: Optional[list[str]] = None
    update_frequency: Optional[UpdateFrequency] = None
    last_updated_on: Optional[date] = None
    sippn_entry: Optional[str] = None
    sippn_last_updated_on: Optional[date] = None


class FacilityItem(Strict):
    """One inventory line; `item` is a label or alias from facts/vocabulary/facilities.yaml."""

    item: str
    quantity: Optional[int] = whole_number()
    location: Optional[str] = None
    condition: Optional[str] = None
    checked_on: Optional[date] = None


class ComplaintChannelKind(str, Enum):
    """Tegal Pasal 18 ayat (1)."""

    sp4n_lapor = "sp4n_lapor"
    lapor_gubernur = "lapor_gubernur"
    lapor_bupati = "lapor_bupati"
    tatap_muka = "tatap_muka"
    call_center = "call_center"
    surat = "surat"
    email = "email"
    sms = "sms"
    media_sosial = "media_sosial"
    website = "website"
    kotak_saran = "kotak_saran"
    lainnya = "lainnya"


class ComplaintChannel(Strict):
    kind: ComplaintChannelKind
    address: Optional[str] = None
    forwarded_to_sp4n_lapor: Optional[bool] = None


class ContactDetails(Strict):
    """Lampiran I huruf C angka 6: what the complaint mechanism must tell the public."""

    officer_name: Optional[str] = None
    phone: Optional[str] = None
    email: Optional[str] = None
    office_address: Optional[str] = None


class ComplaintMechanism(Strict):
    document: Optional[DocumentReference] = None
    established_on: Optional[date] = None
    contact: Optional[ContactDetails] = None


class ComplaintOfficer(Strict):
    name: str
    training: Optional[list[str]] = None


class OfficerAppointment(Strict):
    decree: Optional[Union[DocumentReference, NotPresent]] = None
    officers: Optional[list[ComplaintOfficer]] = None


class DeclineReason(str, Enum):
    """Why the register says a complaint was not taken up."""

    lewat_batas_waktu = "lewat_batas_waktu"  # lodged too long after the service (Madiun Pasal 13 ayat (5))
    bukan_kewenangan = "bukan_kewenangan"  # another organisation's matter
    tidak_lengkap = "tidak_lengkap"
    lainnya = "lainnya"


class Complaint(Strict):
    """One entry of the complaint log (buku/register pengaduan), with the dates its deadlines run from."""

    number: Optional[str] = None
    received_on: date
    # When the complainant received the service complained of, as the register or the complaint letter says.
    service_received_on: Optional[date] = None
    # A complaint the unit did not take up: when, and the reason the register gives.
    declined_on: Optional[Union[date, NotPresent]] = None
    declined_reason: Optional[DeclineReason] = None
    channel: Optional[ComplaintChannelKind] = None
    service_type: Optional[str] = None
    subject: Optional[str] = None
    file_complete_on: Optional[date] = None
    first_response_on: Optional[Union[date, NotPresent]] = None  # tidak_ada: not yet, at the as-of date
    # The 3-working-day first-response deadline as the register shows it or the inspector counted it on the
    # official holiday calendar (Madiun Lampiran IV huruf A angka 3 huruf c); kept as evidence, the rules
    # now count working days themselves (`working_days` inputs).
    first_response_due_on: Optional[date] = None
    decided_on: Optional[Union[date, NotPresent]] = None  # tidak_ada: not yet, at the as-of date
    delivered_on: Optional[Union[date, NotPresent]] = None  # tidak_ada: not yet, at the as-of date
    # The working-day deadlines to decide (60 from the complete file) and to deliver (14 from the decision), as the
    # register shows them or the inspector counted them on the official calendar (Sanggau Pasal 18 ayat (1)-(2)).
    decision_due_on: Optional[date] = None
    delivery_due_on: Optional[date] = None
    fee_charged: Optional[float] = figure(0, RUPIAH_AT_MOST)
    compensation_claimed: Optional[str] = None
    # What the decision states on compensation (Sanggau Pasal 18 ayat (3)): the amount in Rp (0 when it grants
    # none) and the payment deadline; `tidak_ada` when the decision states none. `compensation_claimed: tidak_ada`
    # records that the complainant demanded no compensation.
    decision_compensation_amount: Optional[Union[Rupiah, NotPresent]] = None
    decision_compensation_payment_due_on: Optional[Union[date, NotPresent]] = None
    status: Optional[str] = None


class ChannelCheck(Strict):
    """A dated check of the complaint channels (Sanggau Pasal 14 ayat (4): daily)."""

    dated: date
    channels: Optional[list[ComplaintChannelKind]] = None
    checked_by: Optional[str] = None


class ChannelCheckGap(Strict):
    """A working day (official calendar of holidays and cuti bersama) on which the check log shows no check,
    as the inspector found comparing the log with the calendar (until patuh counts working days)."""

    dated: date
    note: Optional[str] = None


class ComplaintLogField(str, Enum):
    """What the complaint book (manual or application) records for each complaint (Sanggau Lampiran III huruf A angka 1)."""

    nomor_agenda = "nomor_agenda"
    tanggal_pengaduan = "tanggal_pengaduan"
    tanggal_kejadian = "tanggal_kejadian"
    mekanisme_pengaduan = "mekanisme_pengaduan"
    isi_pengaduan = "isi_pengaduan"
    nama_pelapor = "nama_pelapor"
    alamat_pelapor = "alamat_pelapor"
    telepon_pelapor = "telepon_pelapor"
    email_pelapor = "email_pelapor"
    pekerjaan_pelapor = "pekerjaan_pelapor"
    nama_terlapor = "nama_terlapor"
    nip_terlapor = "nip_terlapor"
    instansi_terlapor = "instansi_terlapor"
    jabatan_terlapor = "jabatan_terlapor"
    hasil_penelaahan = "hasil_penelaahan"
    tindak_lanjut = "tindak_lanjut"


class ArchiveForm(str, Enum):
    """How complaint files are kept: Madiun Lampiran IV huruf C wants them electronic."""

    digital = "digital"
    kertas = "kertas"
    digital_dan_kertas = "digital_dan_kertas"


class ComplaintArchive(DocumentReference):
    form: Optional[ArchiveForm] = None


class ComplaintManagement(Strict):
    channels: Optional[list[ComplaintChannel]] = None
    # The columns of the complaint book as the inspector saw it (`[]`: a log with none of them).
    log_fields: Optional[list[ComplaintLogField]] = None
    mechanism: Optional[Union[ComplaintMechanism, NotPresent]] = None
    officer_appointment: Optional[Union[OfficerAppointment, NotPresent]] = None
    sop: Optional[Union[DocumentReference, NotPresent]] = None
    complaints: Optional[list[Complaint]] = None
    channel_checks: Optional[list[ChannelCheck]] = None
    # `[]`: the inspector compared the log with the calendar and found no working day unchecked
    channel_check_gaps: Optional[list[ChannelCheckGap]] = None
    archive: Optional[Union[ComplaintArchive, NotPresent]] = None
    tracking: Optional[Union[DocumentReference, NotPresent]] = None


class SurveyTool(str, Enum):
    sepakat = "sepakat"
    lembaga_mitra = "lembaga_mitra"
    mandiri_lainnya = "mandiri_lainnya"


class SkmReportContent(str, Enum):
    """Tegal Pasal 20 ayat (2)."""

    hasil_pelaksanaan = "hasil_pelaksanaan"
    rencana_tindak_lanjut = "rencana_tindak_lanjut"
    pelaksanaan_tindak_lanjut = "pelaksanaan_tindak_lanjut"
    # Sanggau Pasal 13 ayat (1), Lampiran II huruf B angka 1 and huruf C angka 3
    saran_perbaikan = "saran_perbaikan"
    metode = "metode"
    ringkasan_eksekutif = "ringkasan_eksekutif"


class Submission(Strict):
    """A report handed to someone (the Pembina, the Bupati, a minister)."""

    submitted_on: Optional[date] = None
    submitted_to: Optional[str] = None
    document: Optional[DocumentReference] = None


class SkmReport(Submission):
    contents: Optional[list[SkmReportContent]] = None


class SurveyRespondent(Strict):
    """One respondent's answers (one row of the responses sheet), as read from the file or written inline."""

    row: Optional[int] = whole_number(1, 10_000_000)  # the row in the sheet, to point at it
    scores: list[Optional[StrictInt]] = Field(min_length=9)  # U1, U2, ...: 1 tidak baik ... 4 sangat baik; null = not answered
    service_type: Optional[str] = None  # the id of the service type the respondent used
    dated: Optional[date] = None


class SkmResponses(Strict):
    """A survey's raw answers (Sanggau Lampiran II huruf E): a CSV or XLSX sheet beside the facts file.

    `file` is read when the facts are loaded, and its rows become `respondents`; rows may also
    be written inline. `weights` (one per element, summing to 1) replace the equal weights 1/n.
    """

    file: Optional[str] = None
    weights: Optional[list[Union[float, str]]] = None
    respondents: Optional[list[SurveyRespondent]] = None

    @model_validator(mode="after")
    def _answers_that_can_be_scored(self) -> "SkmResponses":
        if self.file is None and self.respondents is None:
            raise ValueError("give `file` (the responses sheet, relative to this facts file) or `respondents`")
        rows = self.respondents or []
        if any(score is not None and score not in (1, 2, 3, 4) for row in rows for score in row.scores):
            raise ValueError("every score is 1, 2, 3 or 4 (or null when not answered)")
        if len({len(row.scores) for row in rows}) > 1:
            raise ValueError("every respondent has one score per element: the rows have different lengths")
        unanswered = [f"U{n + 1}" for n in range(len(rows[0].scores))
                      if all(row.scores[n] is None for row in rows)] if rows else []
        if unanswered:
            raise ValueError(f"no respondent answered {', '.join(unanswered)}: its average (NRR) cannot be computed")
        if self.weights is not None and rows:
            weights_for(len(rows[0].scores), self.weights)
        return self


class SkmSurvey(Strict):
    held_from: Optional[date] = None
    held_to: date
    service_types: Optional[list[str]] = None
    respondents: Optional[int] = whole_number(0, PEOPLE_AT_MOST)
    ikm: Optional[float] = figure(25, 100)
    # Service users in the period the survey covers: the population N of Krejcie & Morgan (Lampiran II huruf H).
    population: Optional[int] = whole_number(1, PEOPLE_AT_MOST)
    responses: Optional[SkmResponses] = None
    tool: Optional[SurveyTool] = None
    partner_institution: Optional[str] = None
    report: Optional[Union[SkmReport, NotPresent]] = None


class StandarEvaluationKind(str, Enum):
    """Pasal 4 ayat (7) yearly evaluation; ayat (8) three-yearly review."""

    evaluasi = "evaluasi"
    peninjauan_ulang = "peninjauan_ulang"


class StandarEvaluation(Strict):
    dated: date
    kind: StandarEvaluationKind
    service_types: Optional[list[str]] = None
    document: Optional[DocumentReference] = None


class Pekppp(Strict):
    dated: date
    kind: Optional[str] = None
    tool: Optional[str] = None
    ipp: Optional[float] = figure(0, 100)


class FkpReportContent(str, Enum):
    """Tegal Pasal 25 ayat (2)."""

    laporan_pelaksanaan = "laporan_pelaksanaan"
    berita_acara_hasil = "berita_acara_hasil"
    laporan_tindak_lanjut = "laporan_tindak_lanjut"


class FkpReport(Submission):
    contents: Optional[list[FkpReportContent]] = None


class Fkp(Strict):
    held_on: date
    topic: Optional[str] = None
    participants: Optional[int] = whole_number(0, PEOPLE_AT_MOST)
    report: Optional[Union[FkpReport, NotPresent]] = None


class InnovationActivityKind(str, Enum):
    """Tegal Pasal 27 ayat (1)."""

    penciptaan = "penciptaan"
    pengembangan = "pengembangan"
    pelembagaan = "pelembagaan"


class InnovationStep(str, Enum):
    """What an innovation activity consisted of, as its documents show (Tegal Pasal 28-30)."""

    # Pasal 28 (penciptaan), huruf a-d
    pelibatan_pegawai = "pelibatan_pegawai"
    forum_konsultasi_publik = "forum_konsultasi_publik"
    forum_peningkatan_kapasitas_upp = "forum_peningkatan_kapasitas_upp"
    fasilitasi_kompetisi_inovasi = "fasilitasi_kompetisi_inovasi"
    # Pasal 29 ayat (2) (adaptasi dan adopsi), huruf a-g
    pemetaan_kebutuhan = "pemetaan_kebutuhan"
    identifikasi_penetapan_inovasi = "identifikasi_penetapan_inovasi"
    rencana_aksi_penyebarluasan = "rencana_aksi_penyebarluasan"
    forum_penyebarluasan = "forum_penyebarluasan"
    komitmen_kebijakan_penyebarluasan = "komitmen_kebijakan_penyebarluasan"
    implementasi_penyebarluasan = "implementasi_penyebarluasan"
    pemantauan_evaluasi = "pemantauan_evaluasi"
    # Pasal 29 ayat (1) huruf b, ayat (3)
    scaling_up = "scaling_up"
    # Pasal 30 (pelembagaan), huruf a-d
    penguatan_kebijakan = "penguatan_kebijakan"
    penguatan_kelembagaan = "penguatan_kelembagaan"
    penguatan_anggaran = "penguatan_anggaran"
    penguatan_sdm = "penguatan_sdm"


class InnovationActivity(Strict):
    dated: date
    kind: InnovationActivityKind
    name: Optional[str] = None
    upp: Optional[str] = None
    steps: Optional[list[InnovationStep]] = None


class ImplementationActivityKind(str, Enum):
    """Lampiran I huruf E: applying a standard."""

    internalisasi = "internalisasi"
    sosialisasi = "sosialisasi"
    integrasi_perencanaan_anggaran = "integrasi_perencanaan_anggaran"


class ImplementationActivity(Strict):
    dated: date
    kind: ImplementationActivityKind
    service_types: Optional[list[str]] = None
    document: Optional[DocumentReference] = None


class ChangeKind(str, Enum):
    """Lampiran I huruf F: changes that oblige a standard to be amended."""

    kebijakan = "kebijakan"
    inovasi = "inovasi"
    teknologi_informasi = "teknologi_informasi"
    bisnis_proses = "bisnis_proses"
    lainnya = "lainnya"


class ServiceChange(Strict):
    """A change of policy, technology or process affecting one service (list one entry per service)."""

    dated: date
    kind: ChangeKind
    service_type: str
    description: Optional[str] = None


class MonitoringReport(Strict):
    """A monitoring of how the standards are applied (Madiun Pasal 12, in its Lampiran III format)."""

    dated: date
    year_covered: Optional[int] = year_number()
    service_types: Optional[list[str]] = None
    format: Optional[str] = None
    document: Optional[DocumentReference] = None


class ReportToHead(Submission):
    """A report the unit sends up (to the Bupati/Walikota, a minister, the governor)."""

    kind: str
    year_covered: Optional[int] = year_number()
    # The month a monthly report covers, written as its first day (2024-03-01 = March 2024)
    month_covered: Optional[str] = Field(default=None, pattern=r"^\d{4}-(0[1-9]|1[0-2])-01$")


class InternalSupervision(Strict):
    """A documented internal supervision (pengawasan internal) of service delivery by the unit's head (Sanggau Pasal 19)."""

    dated: date
    year_covered: Optional[int] = year_number()
    by: Optional[str] = None
    service_types: Optional[list[str]] = None
    document: Optional[DocumentReference] = None


class Events(Strict):
    monitoring: Optional[list[MonitoringReport]] = None
    internal_supervisions: Optional[list[InternalSupervision]] = None
    reports: Optional[list[ReportToHead]] = None
    skm: Optional[list[SkmSurvey]] = None
    standar_evaluations: Optional[list[StandarEvaluation]] = None
    pekppp: Optional[list[Pekppp]] = None
    fkp: Optional[list[Fkp]] = None
    innovation_activities: Optional[list[InnovationActivity]] = None
    implementation_activities: Optional[list[ImplementationActivity]] = None
    service_changes: Optional[list[ServiceChange]] = None


class PelaksanaViolationKind(str, Enum):
    """Tegal Pasal 15 ayat (2)."""

    kewajiban_larangan = "kewajiban_larangan"
    kode_etik_perilaku = "kode_etik_perilaku"
    standar_pelayanan = "standar_pelayanan"
    sop = "sop"


class PelaksanaSanctionMeasure(str, Enum):
    """Tegal Pasal 15 ayat (3) huruf a-e, and anything else a unit imposed."""

    permohonan_maaf_lisan = "permohonan_maaf_lisan"
    permohonan_maaf_tertulis = "permohonan_maaf_tertulis"
    pernyataan_penyesalan = "pernyataan_penyesalan"
    teguran_tertulis = "teguran_tertulis"
    pembebasan_dari_jabatan = "pembebasan_dari_jabatan"
    lainnya = "lainnya"


class SanctionImposed(Strict):
    dated: Optional[date] = None
    measure: PelaksanaSanctionMeasure
    document: Optional[DocumentReference] = None


class PelaksanaViolation(Strict):
    dated: date
    pelaksana: Optional[str] = None
    kind: PelaksanaViolationKind
    description: Optional[str] = None
    sanctions_imposed: Optional[list[SanctionImposed]] = None


class CompensationMeasure(str, Enum):
    """Tegal Pasal 16 ayat (2) huruf a-c, and anything else a unit gave."""

    prioritas_pelayanan = "prioritas_pelayanan"
    penggantian_revisi_dokumen = "penggantian_revisi_dokumen"
    pengantaran_produk = "pengantaran_produk"
    lainnya = "lainnya"


class CompensationGiven(Strict):
    dated: Optional[date] = None
    measure: CompensationMeasure


class MaklumatUnmet(Strict):
    dated: date
    service_type: Optional[str] = None
    service_user: Optional[str] = None
    description: Optional[str] = None
    compensations: Optional[list[CompensationGiven]] = None


class Incidents(Strict):
    pelaksana_violations: Optional[list[PelaksanaViolation]] = None
    maklumat_unmet: Optional[list[MaklumatUnmet]] = None


class EarlierFinding(Strict):
    rule_id: str
    status: str


class EarlierAudit(Strict):
    """An earlier audit's findings; drives Tegal Pasal 17 ayat (3) huruf c and d."""

    dated: date
    auditor: Optional[str] = None
    regulation: Optional[str] = None
    findings: list[EarlierFinding]


class CooperationAgreement(Strict):
    """A cooperation with another party to deliver a service (Sanggau Pasal 4)."""

    partner: str
    dated: Optional[date] = None
    document: Optional[DocumentReference] = None
    service_types: Optional[list[str]] = None
    # Charges the cooperation puts on service users; [] = none.
    charges_to_public: Optional[list[str]] = None
    # Where the partner's and the provider's identities are displayed to the public; [] = nowhere.
    identity_displayed_at: Optional[list[str]] = None
    # Which parties show the complaint address and channels; [] = neither.
    complaint_contact_shown_by: Optional[list[Literal["penyelenggara", "mitra"]]] = None


class Facts(Strict):
    """One unit's facts, as written in a facts YAML file."""

    organisation: Organisation
    service_types: Optional[list[ServiceType]] = None
    publications: Optional[list[Publication]] = None
    maklumat: Optional[Union[Maklumat, NotPresent]] = None
    information_services: Optional[InformationServices] = None
    facilities: Optional[list[FacilityItem]] = None
    complaint_management: Optional[ComplaintManagement] = None
    cooperation_agreements: Optional[list[CooperationAgreement]] = None
    events: Optional[Events] = None
    incidents: Optional[Incidents] = None
    earlier_audits: Optional[list[EarlierAudit]] = None
