//! Synthetic names: generic first names with Ambonese and Maluku marga.
//!
//! Marga come from `../shared/domain/asn-domain.md` §6.4 and are used as family names only, with
//! generic first names, so no real person is recreated. The city is mixed Christian and Muslim,
//! so first names mix both traditions.

pub const MARGA: [&str; 34] = [
    "Wattimena", "Louhenapessy", "Pelupessy", "Laturiuw", "Ririmasse", "Toisutta", "Pattikawa", "Hehamahua",
    "Gaspersz", "Luhukay", "Lopis", "Kalahatu", "Lekransi", "Tetelepta", "Simatauw", "Lewenussa", "Tatipikalawan",
    "Muskita", "Marasabessy", "Salampessy", "Ely", "Picalouhata", "Pattiasina", "Latuconsina", "Tuhumury",
    "Sahetapy", "Matulessy", "Leiwakabessy", "Tanasale", "Tuasikal", "Ohorella", "Sangadji", "Norimarna", "Dominggus",
];

pub const FIRST_MALE: [&str; 24] = [
    "Yohanis", "Petrus", "Marthen", "Agustinus", "Daniel", "Fransiskus", "Johan", "Stevanus", "Robert", "Samuel",
    "Ahmad", "Muhammad", "Abdul", "Rizal", "Hasan", "Ismail", "Yusuf", "Arif", "Budi", "Andi", "Rudi", "Hendra",
    "Yakob", "Simon",
];

pub const FIRST_FEMALE: [&str; 24] = [
    "Maria", "Elisabeth", "Yuliana", "Martha", "Christina", "Margaretha", "Agnes", "Ruth", "Debora", "Veronika",
    "Siti", "Nurhayati", "Fatimah", "Aisyah", "Rahma", "Nur", "Dewi", "Sri", "Wulan", "Ratna", "Yanti", "Lina",
    "Sarah", "Ester",
];
