"""Vietnamese dates: "1 tháng 12 năm 2023", the time first (apap_portal.formats).

Django's own Vietnamese formats capitalise "Ngày" and "Tháng", which reads wrong inside a
sentence ("Công bố Ngày 01 tháng 12 năm 2023"); these are written to fit in one.
"""

DATE_FORMAT = r"j \t\há\n\g n \nă\m Y"
YEAR_MONTH_FORMAT = r"\t\há\n\g n \nă\m Y"
MONTH_DAY_FORMAT = r"j \t\há\n\g n"
SHORT_DATE_FORMAT = "d/m/Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"H:i, j \t\há\n\g n \nă\m Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
