#!/usr/bin/env python3
"""Writes the real-layout fixtures of tests/data/real/ (issue 31).

Each folder holds files laid out as a BKPSDM really receives them, built from the public layouts
listed in docs/data-contract.md ("Sumber data nyata / Real sources") and in the project's
reference notes (SIASN "Export Data ASN" and API responses as public importers read them, SIMPEG
report views, PermenPANRB 14/2017 questionnaire wording, regional IKM worksheets). Every person,
unit id and decree number is made up; the NIPs are valid but fictitious.

The outputs are committed, so the tests need no Python. To regenerate (needs xlwt, openpyxl and
odfpy from PyPI):

    python3 -m venv /tmp/fx && /tmp/fx/bin/pip install xlwt openpyxl odfpy
    /tmp/fx/bin/python tests/data/real/make_fixtures.py
"""

import csv
import io
import json
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))

# Units: a SIASN-style unit tree (32-hex ids, made up).
KOTA = "8A2E0000000000000000000000000A01"
DINKES = "8A2E0000000000000000000000000A02"
PASSO = "8A2E0000000000000000000000000A03"
LATUHALAT = "8A2E0000000000000000000000000A04"
BKPSDM = "8A2E0000000000000000000000000A05"
SEKDINKES = "8A2E0000000000000000000000000A06"
UNITS = [
    (KOTA, "Pemerintah Kota Ambon", ""),
    (DINKES, "Dinas Kesehatan", KOTA),
    (PASSO, "Puskesmas Passo", DINKES),
    (LATUHALAT, "Puskesmas Latuhalat", DINKES),
    (BKPSDM, "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", KOTA),
    (SEKDINKES, "Sekretariat Dinas Kesehatan", DINKES),
]
NAME = {u[0]: u[1] for u in UNITS}

# People: nip, name, gelar depan, gelar belakang, sex (M/F), birth dd-mm-yyyy, gol id, gol name,
# jenis pegawai, jenis jabatan, jabatan, tmt jabatan, unor.
PNS = "PNS DAERAH KAB/KOTA YANG BEKERJA PADA KAB/KOTA"
PEOPLE = [
    ("198609262015051001", "YOHANIS TAHALELE", "dr.", None, "M", "26-09-1986", "32", "III/b", PNS,
     "Jabatan Fungsional", "Dokter Ahli Muda", "01-03-2020", PASSO),
    ("199001152014032002", "MARIA LEKRANSI", None, "S.Kep", "F", "15-01-1990", "33", "III/c", PNS,
     "Jabatan Fungsional", "Perawat Ahli Pertama", "02-01-2018", LATUHALAT),
    ("197512302000121003", "PETRUS LATUCONSINA", "Drs.", "M.Kes", "M", "30-12-1975", "41", "IV/a", PNS,
     "Jabatan Struktural", "Kepala Dinas Kesehatan", "15-08-2021", DINKES),
    ("199312282025212001", "SITI TUASIKAL", None, "A.Md.Keb", "F", "28-12-1993", None, "IX", "PPPK",
     "Jabatan Fungsional", "Bidan Terampil", "01-10-2025", PASSO),
    ("198204112008011004", "JOHAN SAHETAPY", None, "S.E.", "M", "11-04-1982", "34", "III/d", PNS,
     "Jabatan Pelaksana", "Analis Sumber Daya Manusia Aparatur", "01-06-2016", BKPSDM),
    ("199107072019022005", "RUTH TANASALE", None, "S.KM", "F", "07-07-1991", "31", "III/a", PNS,
     "Jabatan Pelaksana", "Pengadministrasi Perkantoran", "01-02-2019", SEKDINKES),
]


def out(*parts):
    p = os.path.join(HERE, *parts)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    return p


def write_csv(path, header, rows, delimiter=","):
    with open(out(path), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        w.writerow(header)
        w.writerows(rows)


# --- SIASN "Export Data ASN" (S1-S5): 64 UPPER-CASE headers, values with a leading apostrophe,
# literal `null`, JENIS KELAMIN M/F. -------------------------------------------------------------
EXPORT_HEADERS = [
    "PNS ID", "NIP BARU", "NIP LAMA", "NAMA", "GELAR DEPAN", "GELAR BELAKANG", "TEMPAT LAHIR ID",
    "TEMPAT LAHIR NAMA", "TANGGAL LAHIR", "JENIS KELAMIN", "AGAMA ID", "AGAMA NAMA", "JENIS KAWIN ID",
    "JENIS KAWIN NAMA", "NIK", "NOMOR HP", "EMAIL", "EMAIL GOV", "ALAMAT", "NPWP NOMOR", "BPJS",
    "JENIS PEGAWAI ID", "JENIS PEGAWAI NAMA", "KEDUDUKAN HUKUM ID", "KEDUDUKAN HUKUM NAMA",
    "STATUS CPNS PNS", "KARTU ASN VIRTUAL", "NOMOR SK CPNS", "TANGGAL SK CPNS", "TMT CPNS",
    "NOMOR SK PNS", "TANGGAL SK PNS", "TMT PNS", "GOL AWAL ID", "GOL AWAL NAMA", "GOL AKHIR ID",
    "GOL AKHIR NAMA", "TMT GOLONGAN", "MK TAHUN", "MK BULAN", "JENIS JABATAN ID", "JENIS JABATAN NAMA",
    "JABATAN ID", "JABATAN NAMA", "TMT JABATAN", "TINGKAT PENDIDIKAN ID", "TINGKAT PENDIDIKAN NAMA",
    "PENDIDIKAN ID", "PENDIDIKAN NAMA", "TAHUN LULUS", "KPKN ID", "KPKN NAMA", "LOKASI KERJA ID",
    "LOKASI KERJA NAMA", "UNOR ID", "UNOR NAMA", "INSTANSI INDUK ID", "INSTANSI INDUK NAMA",
    "INSTANSI KERJA ID", "INSTANSI KERJA NAMA", "SATUAN KERJA INDUK ID", "SATUAN KERJA INDUK NAMA",
    "SATUAN KERJA KERJA ID", "SATUAN KERJA KERJA NAMA",
]
assert len(EXPORT_HEADERS) == 64


def export_rows(newer=False):
    rows = []
    for i, p in enumerate(PEOPLE):
        (nip, nama, gd, gb, sex, lahir, gol_id, gol, jenis, jj, jab, tmt, unor) = p
        pppk = jenis == "PPPK"
        row = {h: "null" for h in EXPORT_HEADERS}
        row.update({
            "PNS ID": f"A8ACA7397AE5{i:020d}",
            "NIP BARU": "'" + nip,
            "NIP LAMA": "null",
            "NAMA": nama,
            "GELAR DEPAN": gd or "null",
            "GELAR BELAKANG": gb or "null",
            "TEMPAT LAHIR NAMA": "AMBON",
            "TANGGAL LAHIR": lahir,
            "JENIS KELAMIN": sex,
            "AGAMA NAMA": "Kristen" if i % 2 == 0 else "Islam",
            "NIK": "'81710" + nip[:11],
            "NPWP NOMOR": "'" + "0" * 15,
            "JENIS PEGAWAI ID": "22" if pppk else "15",
            "JENIS PEGAWAI NAMA": jenis,
            "KEDUDUKAN HUKUM ID": "01",
            "KEDUDUKAN HUKUM NAMA": "Aktif",
            "STATUS CPNS PNS": "P",
            "TMT CPNS": "null" if pppk else "01-" + nip[12:14] + "-" + nip[8:12],
            "GOL AKHIR ID": gol_id or "null",
            "GOL AKHIR NAMA": gol,
            "JENIS JABATAN NAMA": jj,
            "JABATAN NAMA": jab,
            "TMT JABATAN": tmt,
            "UNOR ID": unor,
            "UNOR NAMA": NAME[unor],
            "INSTANSI KERJA NAMA": "Pemerintah Kota Ambon",
            "SATUAN KERJA KERJA NAMA": "Pemerintah Kota Ambon",
        })
        values = [row[h] for h in EXPORT_HEADERS]
        if newer:
            values += ["'1", "null", "0", "null", "null"]
        rows.append(values)
    return rows


def siasn_export():
    shutil.rmtree(out("siasn_export"), ignore_errors=True)
    write_csv("siasn_export/Data_ASN_20251201.csv", EXPORT_HEADERS, export_rows())
    hierarki("siasn_export/HierarkiUnor_20251201.xlsx")
    # The same export with `|` as delimiter and the newer columns (S3, S4).
    shutil.rmtree(out("siasn_export_pipe"), ignore_errors=True)
    newer = EXPORT_HEADERS + ["IS VALID NIK", "NAMA SEKOLAH", "FLAG IKD", "ESELON ID", "ESELON NAMA"]
    write_csv("siasn_export_pipe/Data_ASN_pipa.csv", newer, export_rows(newer=True), delimiter="|")
    hierarki("siasn_export_pipe/HierarkiUnor.xlsx")
    # The xlsx download, NIPs as text (one, the last, typed as a number: Excel damage).
    shutil.rmtree(out("siasn_export_xlsx"), ignore_errors=True)
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data ASN"
    ws.append(EXPORT_HEADERS)
    for r in export_rows():
        r = [v[1:] if v.startswith("'") else v for v in r]
        ws.append(r)
    ws.append([None, 198609262015051001] + [None] * 62)
    ws.cell(row=ws.max_row, column=4, value="AGUSTINUS RISAKOTTA")
    wb.save(out("siasn_export_xlsx/Data_ASN_7171.xlsx"))
    hierarki("siasn_export_xlsx/HierarkiUnor.xlsx")


def hierarki(path):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Hierarki Unor"
    ws.append(["ID", "NAMA_UNOR", "ID_ATASAN"])
    for uid, name, parent in UNITS:
        ws.append([uid, name, parent or None])
    wb.save(out(path))


# --- SIASN API responses (S6-S12) and the same flattened to CSV (S13). --------------------------
def path_doc(n):
    return {"872": {"dok_id": "872", "dok_nama": "SK Jabatan", "dok_uri": f"peremajaan/usulan/sk_{n}.pdf",
                    "object": f"sk_{n}.pdf", "slug": "872"}}


def rw_jabatan_records():
    """Job histories: out of order, a duplicate decree, a new post in the same unit, a transfer, a
    promotion to another unit, and a first post outside the instansi."""
    def rec(n, nip, tmt, unor, jf=None, jfu=None, struktural=None, eselon=None, sk_date="", jenis="2"):
        name = NAME.get(unor, "Dinas Kesehatan Kabupaten Maluku Tengah")
        return {
            "id": f"RWJ{n:04d}", "idPns": f"A8ACA7397AE5{nip[-6:]:0>20}", "nipBaru": nip, "nipLama": None,
            "jenisJabatan": jenis, "instansiKerjaNama": "Pemerintah Kota Ambon", "unorId": unor,
            "unorNama": name, "namaUnor": name, "unorIndukNama": "Pemerintah Kota Ambon",
            "eselon": eselon, "eselonId": None, "jabatanFungsionalNama": jf,
            "jabatanFungsionalUmumNama": jfu, "namaJabatan": struktural, "tmtJabatan": tmt,
            "nomorSk": f"800.1.3/{n}/BKPSDM/2025", "tanggalSk": sk_date or tmt, "tmtPelantikan": "01-01-0001",
            "tmtMutasi": "01-01-0001", "jenisPenugasanId": "D", "jenisMutasiId": "",
            "path": path_doc(n),
        }
    a, c, e = PEOPLE[0][0], PEOPLE[2][0], PEOPLE[4][0]
    return {
        a: [
            rec(4, a, "01-03-2020", PASSO, jf="Dokter Ahli Muda"),
            rec(1, a, "01-05-2015", LATUHALAT, jf="Dokter Ahli Pertama"),
            rec(2, a, "02-01-2018", LATUHALAT, jf="Dokter Ahli Muda"),
            rec(2, a, "02-01-2018", LATUHALAT, jf="Dokter Ahli Muda"),
        ],
        c: [
            rec(5, c, "01-03-2010", BKPSDM, struktural="Kepala Bidang Mutasi", eselon="III.a", jenis="1"),
            rec(6, c, "15-08-2021", DINKES, struktural="Kepala Dinas Kesehatan", eselon="II.b", jenis="1"),
        ],
        e: [
            rec(7, e, "01-02-2008", "9F00000000000000000000000000FF01", jfu="Pengadministrasi Umum", jenis="4"),
            rec(8, e, "01-06-2016", BKPSDM, jfu="Analis Sumber Daya Manusia Aparatur", jenis="4"),
        ],
    }


def pns_id(nip):
    """SIASN's id of a person (made up)."""
    return "A8ACA7397AE5" + nip[-6:].rjust(20, "0")


def data_utama(p):
    (nip, nama, gd, gb, sex, lahir, gol_id, gol, jenis, jj, jab, tmt, unor) = p
    return {
        "id": pns_id(nip), "nipBaru": nip, "nipLama": None, "nama": nama.title(),
        "gelarDepan": gd, "gelarBelakang": gb, "tempatLahir": "Ambon", "tglLahir": lahir, "jenisKelamin": sex,
        "agama": "Kristen", "jenisPegawaiId": "15" if jenis != "PPPK" else "22", "jenisPegawaiNama": jenis,
        "kedudukanPnsNama": "Aktif", "statusPegawai": "PNS" if jenis != "PPPK" else "PPPK", "unorId": unor,
        "unorNama": NAME[unor], "unorIndukNama": "Pemerintah Kota Ambon", "jenisJabatanId": "2",
        "jabatanNama": jab, "tmtJabatan": tmt, "golRuangAkhirId": gol_id, "golRuangAkhir": gol,
        "pangkatAkhir": None, "masaKerja": "10 Tahun 00 Bulan", "path": {},
    }


def skp22_records():
    out_ = []
    codes = [(1, 1, 1), (2, 2, 2), (2, 1, 2), (3, 2, 3), (1, 2, 2), (2, 3, 3)]
    for i, p in enumerate(PEOPLE):
        h, pk, k = codes[i]
        for tahun in (2023, 2024):
            out_.append({
                "id": f"SKP{i}{tahun}", "tahun": tahun, "hasilKinerja": None, "hasilKinerjaNilai": h,
                "perilakuKerja": None, "PerilakuKerjaNilai": pk, "kuadranKinerja": None,
                "KuadranKinerjaNilai": k, "namaPenilai": "Penilai", "nipNrpPenilai": PEOPLE[2][0],
                "penilaiGolonganId": "41", "pnsDinilaiId": pns_id(p[0]), "statusPenilai": "ASN", "path": {},
            })
    return out_


def kursus_records():
    return [
        {"id": "K1", "idPns": "x", "nipBaru": PEOPLE[0][0], "jenisKursusId": "3", "jenisKursusNama": "Kursus",
         "namaKursus": "Pelatihan Kegawatdaruratan", "jumlahJam": 40, "tanggalKursus": "10-02-2024",
         "tanggalSelesaiKursus": "14-02-2024", "tahunKursus": 2024, "institusiPenyelenggara": "BPSDM Maluku",
         "path": {}},
        {"id": "K2", "idPns": "x", "nipBaru": PEOPLE[1][0], "jenisKursusId": "4", "jenisKursusNama": "Seminar",
         "namaKursus": "Seminar Keperawatan", "jumlahJam": None, "tanggalKursus": "21-11-2024",
         "tanggalSelesaiKursus": "01-01-0001", "tahunKursus": 2024, "institusiPenyelenggara": "PPNI",
         "path": {}},
        # A decree date that does not exist: rejected, named by its record number (3).
        {"id": "K3", "idPns": "x", "nipBaru": PEOPLE[2][0], "jenisKursusId": "3", "jenisKursusNama": "Kursus",
         "namaKursus": "Kursus Manajemen", "jumlahJam": 30, "tanggalKursus": "31-02-2024",
         "tanggalSelesaiKursus": "03-03-2024", "tahunKursus": 2024, "institusiPenyelenggara": "LAN",
         "path": {}},
    ]


def ref_unor():
    return [{"Id": uid, "InstansiId": "A5EB03E23BBEF6A0E040640A040252AD", "DiatasanId": parent or None,
             "EselonId": None, "NamaUnor": name, "NamaJabatan": None, "CepatKode": None,
             "IndukUnorId": DINKES if parent == DINKES else (uid if parent == KOTA else None),
             "PemimpinPnsId": None, "JenisUnorId": "1"} for uid, name, parent in UNITS]


def flatten(prefix, value, outd):
    if isinstance(value, dict):
        for k, v in value.items():
            flatten(f"{prefix}.{k}" if prefix else k, v, outd)
    else:
        outd[prefix] = value


def to_flat_csv(path, records):
    flat = []
    for r in records:
        d = {}
        flatten("", r, d)
        flat.append(d)
    header = []
    for d in flat:
        for k in d:
            if k not in header:
                header.append(k)
    rows = [["" if d.get(h) is None else d.get(h) for h in header] for d in flat]
    write_csv(path, header, rows)


def siasn_api():
    shutil.rmtree(out("siasn_api"), ignore_errors=True)
    shutil.rmtree(out("siasn_api_flat"), ignore_errors=True)
    for p in PEOPLE:
        with open(out("siasn_api", f"data-utama_{p[0]}.json"), "w") as f:
            json.dump({"code": 1, "data": data_utama(p)}, f, ensure_ascii=False)
    for nip, recs in rw_jabatan_records().items():
        with open(out("siasn_api", f"rw-jabatan_{nip}.json"), "w") as f:
            json.dump({"code": 1, "data": recs}, f, ensure_ascii=False)
    with open(out("siasn_api", "rw-skp22.json"), "w") as f:
        json.dump({"code": 1, "data": skp22_records()}, f, ensure_ascii=False)
    with open(out("siasn_api", "rw-kursus.json"), "w") as f:
        json.dump({"code": 1, "data": kursus_records()}, f, ensure_ascii=False)
    with open(out("siasn_api", "ref-unor.json"), "w") as f:
        json.dump(ref_unor(), f, ensure_ascii=False)
    # The same records flattened with json_normalize(...).to_csv() (S13).
    to_flat_csv("siasn_api_flat/data-utama.csv", [data_utama(p) for p in PEOPLE])
    to_flat_csv("siasn_api_flat/rw-jabatan.csv", [r for recs in rw_jabatan_records().values() for r in recs])
    to_flat_csv("siasn_api_flat/ref-unor.csv", ref_unor())


# --- SIMPEG (S14-S17). -------------------------------------------------------------------------
def golongan_text(gol):
    pangkat = {"III/a": "Penata Muda", "III/b": "Penata Muda Tingkat I", "III/c": "Penata", "III/d": "Penata Tingkat I",
               "IV/a": "Pembina"}
    return f"{pangkat[gol]} ({gol})" if gol in pangkat else gol


def simpeg_duk():
    """A DUK report saved by a PHP SIMPEG's "Export Excel": an HTML table with a title block, a
    two-row header, a column-number row, NAMA / NIP in one cell, dates d-m-Y."""
    shutil.rmtree(out("simpeg_duk"), ignore_errors=True)
    rows = []
    for i, p in enumerate([q for q in PEOPLE if q[8] != "PPPK"], start=1):
        (nip, nama, gd, gb, sex, lahir, gol_id, gol, jenis, jj, jab, tmt, unor) = p
        spaced = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
        name = " ".join(x for x in [gd, nama.title()] if x) + (f", {gb}" if gb else "")
        rows.append(f"""<tr><td>{i}</td><td>{name}<br>NIP. {spaced}</td><td>{golongan_text(gol)}</td>
<td>01-04-20{10 + i:02d}</td><td>{jab}</td><td>{tmt}</td><td>S1</td><td>{lahir}</td><td>{NAME[unor]}</td></tr>""")
    html = f"""<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">
<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><meta name="ProgId" content="Excel.Sheet">
<style>td {{ mso-number-format:"\\@"; }}</style></head><body>
<table><tr><td colspan="9" align="center"><b>DAFTAR URUT KEPANGKATAN (DUK)</b></td></tr>
<tr><td colspan="9" align="center"><b>PNS PEMERINTAH KOTA AMBON</b></td></tr>
<tr><td colspan="9" align="center"><b>TAHUN 2025</b></td></tr>
<tr><td></td></tr>
<tr><th rowspan="2">NO</th><th rowspan="2">NAMA / NIP</th><th colspan="2">PANGKAT</th><th colspan="2">JABATAN</th>
<th rowspan="2">PENDIDIKAN</th><th rowspan="2">TANGGAL LAHIR</th><th rowspan="2">UNIT KERJA</th></tr>
<tr><th>PANGKAT / GOL. RUANG</th><th>TMT PANGKAT</th><th>NAMA JABATAN</th><th>TMT JABATAN</th></tr>
<tr><td>(1)</td><td>(2)</td><td>(3)</td><td>(4)</td><td>(5)</td><td>(6)</td><td>(7)</td><td>(8)</td><td>(9)</td></tr>
{''.join(rows)}
</table></body></html>"""
    with open(out("simpeg_duk", "DUK_PNS_2025.xls"), "w", encoding="utf-8") as f:
        f.write(html)
    units_csv("simpeg_duk")


def simpeg_riwayat():
    """A SIMPEG riwayat jabatan export as a genuine BIFF .xls (PHP xlsWriteLabel/Number style:
    numbers for numeric columns)."""
    shutil.rmtree(out("simpeg_riwayat"), ignore_errors=True)
    import xlwt
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Riwayat Jabatan")
    header = ["NO", "NIP", "NAMA", "UNIT KERJA", "JABATAN", "ESELON", "TMT JABATAN", "NO SK", "TGL SK"]
    for c, h in enumerate(header):
        ws.write(0, c, h)
    b, f = PEOPLE[1][0], PEOPLE[5][0]
    recs = [
        (b, "MARIA LEKRANSI", "Puskesmas Passo", "Perawat Terampil", "", "01-03-2014", "821/14/2014", "20-02-2014"),
        (b, "MARIA LEKRANSI", "Puskesmas Latuhalat", "Perawat Ahli Pertama", "", "02-01-2018", "821/3/2018", "28-12-2017"),
        (b, "MARIA LEKRANSI", "Puskesmas Latuhalat", "Perawat Ahli Pertama", "", "02-01-2018", "821/3/2018", "28-12-2017"),
        (f, "RUTH TANASALE", "Sekretariat Dinas Kesehatan", "Pengadministrasi Perkantoran", "", "01-02-2019", "813/5/2019", "30-01-2019"),
        (f, "RUTH TANASALE", "Sekretariat Dinas Kesehatan", "Pengelola Data", "", "01-07-2023", "813/77/2023", "28-06-2023"),
    ]
    for r, rec in enumerate(recs, start=1):
        ws.write(r, 0, r)  # a number, as xlsWriteNumber writes it
        for c, v in enumerate(rec, start=1):
            ws.write(r, c, v)
    wb.save(out("simpeg_riwayat", "Riwayat_Jabatan_Pegawai.xls"))
    units_csv("simpeg_riwayat")
    pegawai_csv("simpeg_riwayat")


def units_csv(folder):
    write_csv(f"{folder}/unit_kerja.csv", ["unit_id", "nama_unit", "induk_unit_id"],
              [[u, n, p] for u, n, p in UNITS])


def pegawai_csv(folder):
    write_csv(f"{folder}/pegawai.csv", ["nip", "nama", "unit_id"],
              [[p[0], p[1].title(), p[12]] for p in PEOPLE])


def simpeg_html_export():
    """A plain SIMPEG pegawai list from an "Export Excel" button: HTML with an Excel ProgId, saved
    as .xls, in Windows-1252."""
    shutil.rmtree(out("simpeg_html"), ignore_errors=True)
    body = "".join(
        f"<tr><td>{i}</td><td>'{p[0]}</td><td>{p[1].title()}</td><td>{'L' if p[4] == 'M' else 'P'}</td>"
        f"<td>{p[5].replace('-', '/')}</td><td>{p[7]}</td><td>{p[10]}</td><td>{NAME[p[12]]}</td></tr>\n"
        for i, p in enumerate(PEOPLE, start=1))
    html = ("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">"
            "<meta name=ProgId content=Excel.Sheet></head><body><table border=1>\n"
            "<tr><th>No.</th><th>NIP</th><th>Nama Pegawai</th><th>L/P</th><th>Tgl. Lahir</th><th>Gol/Ruang</th>"
            "<th>Jabatan</th><th>Unit Kerja</th></tr>\n" + body + "</table></body></html>")
    with open(out("simpeg_html", "Laporan Data Pegawai.xls"), "w", encoding="cp1252") as f:
        f.write(html)
    units_csv("simpeg_html")


def simpeg_biff():
    """A genuine BIFF .xls: numbers as numbers, the NIP as text, one row per employee."""
    shutil.rmtree(out("simpeg_biff"), ignore_errors=True)
    import xlwt
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Pegawai")
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    ws.write(0, 0, "DATA PEGAWAI PEMERINTAH KOTA AMBON")
    header = ["NO", "NIP", "NAMA", "TANGGAL LAHIR", "GOLONGAN", "UNIT KERJA"]
    for c, h in enumerate(header):
        ws.write(2, c, h)
    import datetime
    for r, p in enumerate(PEOPLE, start=3):
        d, m, y = (int(x) for x in p[5].split("-"))
        ws.write(r, 0, r - 2)
        ws.write(r, 1, p[0])
        ws.write(r, 2, p[1].title())
        ws.write(r, 3, datetime.date(y, m, d), date_style)
        ws.write(r, 4, p[7])
        ws.write(r, 5, NAME[p[12]])
    wb.save(out("simpeg_biff", "Data Pegawai.xls"))
    units_csv("simpeg_biff")


def multisheet():
    """One sheet per OPD, a notes sheet, a hidden old copy."""
    shutil.rmtree(out("multisheet"), ignore_errors=True)
    import openpyxl
    wb = openpyxl.Workbook()
    ws0 = wb.active
    ws0.title = "Keterangan"
    ws0.append(["Data pegawai per OPD, diunduh dari SIMPEG"])
    ws0.append(["Lembar berikut berisi satu OPD masing-masing."])
    groups = {"Dinas Kesehatan": [p for p in PEOPLE if p[12] != BKPSDM], "BKPSDM": [p for p in PEOPLE if p[12] == BKPSDM]}
    for title, people in groups.items():
        ws = wb.create_sheet(title)
        ws.append([f"DAFTAR PEGAWAI {title.upper()}"])
        ws.append([])
        ws.append(["No", "NIP", "Nama", "Gol. Ruang", "Unit Kerja"])
        for i, p in enumerate(people, start=1):
            ws.append([i, p[0], p[1].title(), p[7], NAME[p[12]]])
    old = wb.create_sheet("Arsip 2023")
    old.append(["No", "NIP", "Nama", "Gol. Ruang", "Unit Kerja"])
    old.append([1, PEOPLE[0][0], "Lama", "III/a", "Puskesmas Latuhalat"])
    old.sheet_state = "hidden"
    wb.save(out("multisheet", "pegawai.xlsx"))
    units_csv("multisheet")


def ods():
    shutil.rmtree(out("ods"), ignore_errors=True)
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableRow, TableCell
    from odf.text import P
    doc = OpenDocumentSpreadsheet()
    t = Table(name="Pegawai")
    def row(values):
        tr = TableRow()
        for v in values:
            if isinstance(v, int):
                c = TableCell(valuetype="float", value=v)
            else:
                c = TableCell(valuetype="string")
            c.addElement(P(text=str(v)))
            tr.addElement(c)
        t.addElement(tr)
    row(["NIP", "NAMA", "JENIS KELAMIN", "UNIT KERJA"])
    for p in PEOPLE:
        row([p[0], p[1].title(), "Laki-laki" if p[4] == "M" else "Perempuan", NAME[p[12]]])
    doc.spreadsheet.addElement(t)
    doc.save(out("ods", "pegawai.ods"))
    units_csv("ods")


# --- e-Kinerja / SKP sheets (S18). --------------------------------------------------------------
def ekinerja():
    shutil.rmtree(out("ekinerja"), ignore_errors=True)
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Rekap SKP 2025"
    ws.append(["REKAPITULASI PENILAIAN KINERJA PEGAWAI TAHUN 2025"])
    ws.append([])
    ws.append(["NO", "NIP", "NAMA", "PERIODE", "RATING HASIL KERJA", "RATING PERILAKU KERJA", "PREDIKAT KINERJA",
               "CAPAIAN (%)"])
    labels = [
        ("DIATAS EKSPEKTASI", "DIATAS EKSPEKTASI", "SANGAT BAIK", "105,5"),
        ("MEMENUHI EKSPEKTASI", "Di Atas Ekspektasi", "Baik", "98"),
        ("SESUAI EKSPEKTASI", "DIBAWAH EKSPEKTASI", "Kurang/Misconduct", "88,25"),
        ("Di Bawah Ekspektasi", "SESUAI EKSPEKTASI", "Cukup", "71"),
        ("DIBAWAH EKSPEKTASI", "DIBAWAH EKSPEKTASI", "MENGECEWAKAN", "40"),
        ("SESUAI EKSPEKTASI", "SESUAI EKSPEKTASI", "LUAR BIASA", "100"),
    ]
    for i, (p, l) in enumerate(zip(PEOPLE, labels), start=1):
        ws.append([i, p[0], p[1].title(), "JANUARI - DESEMBER 2025", l[0], l[1], l[2], l[3]])
    wb.save(out("ekinerja", "Rekap_SKP_2025.xlsx"))
    # An annual SKP file with the year alone (Tahun), as a plain CSV.
    write_csv("ekinerja/kinerja_skp_tahunan.csv", ["NIP", "Tahun", "Predikat Kinerja"],
              [[p[0], "Tahun 2024", "Baik"] for p in PEOPLE[:3]])
    units_csv("ekinerja")
    pegawai_csv("ekinerja")


# --- SKM (S19-S26). -----------------------------------------------------------------------------
QUESTIONS = [
    "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
    "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
    "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
    "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
    "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam standar pelayanan dengan hasil yang diberikan?",
    "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
    "Bagaimana pendapat Saudara perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?",
    "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
    "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
]
# Options in the questionnaire's order of questions (8 = sarana, 9 = pengaduan).
OPTIONS = [
    ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"],
    ["Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"],
    ["Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"],
    ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"],
    ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"],
    ["Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"],
    ["Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah", "Sangat sopan dan ramah"],
    ["Buruk", "Cukup", "Baik", "Sangat Baik"],
    ["Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal", "Dikelola dengan baik"],
]


def forms_answers(n):
    """Respondent r's answer (1-4) to question q, deterministic."""
    return [[(r * 7 + q * 3) % 4 + 1 if (r + q) % 5 else 4 for q in range(9)] for r in range(n)]


def skm_forms_us():
    """A Google Forms export in the US locale: Timestamp M/D/YYYY H:MM:SS, one column per numbered
    question, answers as the options' labels. 17 of 18 dates read both ways."""
    shutil.rmtree(out("skm_forms_us"), ignore_errors=True)
    answers = forms_answers(18)
    header = ["Timestamp", "Jenis Kelamin", "Unit Layanan"] + [f"{i + 1}. {q}" for i, q in enumerate(QUESTIONS)]
    rows = []
    for r in range(18):
        month, day = 1 + r % 6, 1 + (r * 5) % 12  # 1..12: every date reads both ways ...
        if r == 17:
            month, day = 6, 24  # ... but one: June 24th, month first.
        ts = f"{month}/{day}/2025 {9 + r % 8}:{(r * 7) % 60:02d}:{(r * 13) % 60:02d}"
        unit = "Puskesmas Passo" if r % 2 == 0 else "Puskesmas Latuhalat"
        rows.append([ts, "Laki-laki" if r % 2 else "Perempuan", unit] + [OPTIONS[q][answers[r][q] - 1] for q in range(9)])
    write_csv("skm_forms_us/Survei Kepuasan Masyarakat (Responses) - Form Responses 1.csv", header, rows)
    units_csv("skm_forms_us")
    pegawai_csv("skm_forms_us")


def skm_forms_id():
    """A Google Forms export in the Indonesian locale: "Stempel waktu" D/M/YYYY H.MM.SS, questions
    without numbers, answers as numbers."""
    shutil.rmtree(out("skm_forms_id"), ignore_errors=True)
    answers = forms_answers(6)
    header = ["Stempel waktu", "Puskesmas"] + QUESTIONS
    rows = []
    for r in range(6):
        rows.append([f"{3 + r}/{7 + r}/2025 10.{r:02d}.00", "Puskesmas Passo"] + [str(a) for a in answers[r]])
    write_csv("skm_forms_id/skm_google_form.csv", header, rows)
    units_csv("skm_forms_id")
    pegawai_csv("skm_forms_id")


def ikm_worksheet():
    """A per-unit IKM worksheet as regional portals publish it: title block with unit and period,
    `No Resp U1 … U9` (U8 = Sarana, U9 = Pengaduan), then summary rows with the portal's IKM
    computed with 0,111."""
    shutil.rmtree(out("skm_ikm_worksheet"), ignore_errors=True)
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["PENGOLAHAN DATA SURVEI KEPUASAN MASYARAKAT PER RESPONDEN DAN PER UNSUR PELAYANAN"])
    ws.append(["UNIT PELAYANAN : PUSKESMAS PASSO"])
    ws.append(["PERIODE : SEMESTER I TAHUN 2025"])
    ws.append([])
    ws.append(["No Resp", "U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"])
    # The published 29-respondent example (totals 105 101 100 116 102 105 106 105 115 by unsur
    # in the unsur order: U8 pengaduan = 105, U9 sarana = 115), laid out sarana-first.
    totals = [105, 101, 100, 116, 102, 105, 106, 105, 115]
    answers = [[0] * 9 for _ in range(29)]
    for u, total in enumerate(totals):
        left = total
        for r in range(29):
            rest = 29 - r - 1
            v = next(v for v in (4, 3, 2, 1) if left >= v + rest)
            answers[r][u] = v
            left -= v
    for r in range(29):
        a = answers[r]
        ws.append([r + 1] + a[:7] + [a[8], a[7]])  # U8 = sarana, U9 = pengaduan
    cols = list(zip(*[[a[i] for i in range(7)] + [a[8], a[7]] for a in answers]))
    sums = [sum(c) for c in cols]
    nrr = [s / 29 for s in sums]
    ws.append(["Σ Nilai / Unsur"] + sums)
    ws.append(["NRR / Unsur"] + [round(v, 3) for v in nrr])
    ws.append(["NRR Tertimbang / Unsur"] + [round(v * 0.111, 3) for v in nrr])
    ikm_111 = sum(v * 0.111 for v in nrr) * 25
    ws.append(["IKM UNIT PELAYANAN", None, None, None, None, None, None, None, None, round(ikm_111, 2)])
    ws.append(["*) NRR tertimbang per unsur = NRR per unsur x 0,111"])
    wb.save(out("skm_ikm_worksheet", "IKM_Passo.xlsx"))
    units_csv("skm_ikm_worksheet")
    pegawai_csv("skm_ikm_worksheet")
    with open(out("skm_ikm_worksheet", "mutasi.toml"), "w") as f:
        f.write('[service]\nu8_u9 = "sarana_pengaduan"\n')


def skm_14():
    """An older 14-unsur survey (Kepmenpan 25/2004): answers giving NRR near the worked example."""
    shutil.rmtree(out("skm_14_unsur"), ignore_errors=True)
    header = ["unit_id", "tanggal"] + [f"U{i}" for i in range(1, 15)]
    rows = []
    # 50 respondents; unsur i has (50 * nrr_i - 100) answers of 3 above the base of 2... kept simple:
    # every answer is 3 except enough 4s and 2s to give NRR 3.06 2.98 3.06 2.90 3.06 3.14 3.04 3.06
    # 3.18 3.08 3.20 3.18 3.10 3.04.
    nrr = [3.06, 2.98, 3.06, 2.90, 3.06, 3.14, 3.04, 3.06, 3.18, 3.08, 3.20, 3.18, 3.10, 3.04]
    cols = []
    for v in nrr:
        delta = round(v * 50) - 150
        col = [3] * 50
        for r in range(abs(delta)):
            col[r] = 4 if delta > 0 else 2
        cols.append(col)
    for r in range(50):
        rows.append([PASSO, f"{1 + r % 28:02d}-0{1 + r % 6}-2010"] + [cols[u][r] for u in range(14)])
    write_csv("skm_14_unsur/skm.csv", header, rows, delimiter=";")
    # The survey report's own IKM, weighted with 0,071: 76,475 (B by Kepmenpan 25/2004).
    write_csv("skm_14_unsur/layanan.csv", ["unit_id", "periode", "indikator", "nilai"],
              [[PASSO, "2010-S1", "ikm", "76,475"]], delimiter=";")
    units_csv("skm_14_unsur")
    pegawai_csv("skm_14_unsur")


# --- Dates (S6 of the issue). -------------------------------------------------------------------
def dates():
    """Permohonan files: one month-first by evidence, one all-ambiguous, one mixed."""
    for folder, values in [
        ("dates_us", ["01/25/2025", "02/03/2025", "03/14/2025", "04/02/2025"]),
        ("dates_ambiguous", ["01/02/2025", "03/04/2025", "05/06/2025", "07/08/2025"]),
        ("dates_mixed", ["25/01/2025", "26/02/2025", "03/04/2025", "04/28/2025"]),
    ]:
        shutil.rmtree(out(folder), ignore_errors=True)
        rows = [[PEOPLE[i][0], v, "diajukan"] for i, v in enumerate(values)]
        write_csv(f"{folder}/permohonan.csv", ["nip", "tanggal_pengajuan", "status"], rows)
        units_csv(folder)
        pegawai_csv(folder)


def main():
    siasn_export()
    siasn_api()
    simpeg_duk()
    simpeg_riwayat()
    simpeg_html_export()
    simpeg_biff()
    multisheet()
    ods()
    ekinerja()
    skm_forms_us()
    skm_forms_id()
    ikm_worksheet()
    skm_14()
    dates()


if __name__ == "__main__":
    main()
