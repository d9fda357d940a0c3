"""A deterministic corpus of our own report-like documents for the reading benchmark.

Each document is about 10 KB of text in the genre of the portals' news items: a headline,
a publication stamp, the meeting, people with positions, figures against plan, limitations,
directives. Written for the benchmark; names and places are invented.
"""

import random

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Đình", "Minh", "Quang", "Thanh", "Ngọc", "Hữu", "Xuân"]
GIVEN = ["Hùng", "Lan", "Tâm", "Dũng", "Hải", "Nga", "Tuấn", "Hương", "Khoa", "Bình", "Yến"]
PLACES = ["Tân Phúc", "Đông Hòa", "Yên Lạc", "Phú Sơn", "Hòa Bình", "Xuân Lâm", "Thạch Bàn"]
TITLES = [
    "PBT Thường trực Đảng ủy",
    "HUV, Bí thư Đảng ủy",
    "Ủy viên BTV - Trưởng ban Tổ chức Huyện ủy",
    "UVBCH Đảng bộ huyện, Phó Chủ nhiệm UBKT Huyện ủy",
    "Phó Chủ tịch UBND huyện",
]
WORKS = [
    ("Trồng mới {n} cây bóng mát", 50, 400),
    ("làm mới {n}m đường điện chiếu sáng", 200, 3000),
    ("chỉnh trang {n} vườn hộ", 10, 90),
    ("xây dựng {n} công trình vệ sinh tự hoại", 5, 60),
    ("phá bỏ {n}m hàng rào tạp", 100, 2500),
    ("tiếp nhận {n} tấn xi măng, làm được {k}km đường GTNT", 50, 400),
]
LIMITS = [
    "Công tác tuyên truyền có lúc chưa thường xuyên",
    "Một số thôn triển khai chậm các tiêu chí khu dân cư mẫu",
    "Thu ngân sách đạt thấp so với kế hoạch",
    "Vệ sinh môi trường ở một số khu vực còn hạn chế",
]
NARRATIVE = [
    "Công tác giáo dục chính trị tư tưởng được duy trì qua truyền thanh và sinh hoạt chi bộ",
    "Các ngành, đoàn thể phối hợp tuyên truyền, vận động nhân dân hiến đất, góp công mở rộng đường",
    "Sản xuất vụ mùa được chỉ đạo đúng khung thời vụ, phòng chống dịch bệnh gia súc được chú trọng",
    "Ban giám sát cộng đồng theo dõi chất lượng các công trình trên địa bàn",
    "Các chi bộ chuẩn bị chu đáo nội dung sinh hoạt chuyên đề theo hướng dẫn của cấp trên",
    "An ninh chính trị, trật tự an toàn xã hội được giữ vững, không để xảy ra điểm nóng",
    "Công tác chăm lo gia đình chính sách, người có công, hộ nghèo được quan tâm thường xuyên",
    "Hoạt động văn hóa, văn nghệ, thể dục thể thao diễn ra sôi nổi ở các thôn",
    "Công tác cải cách hành chính có chuyển biến, hồ sơ được giải quyết đúng hẹn",
    "Mặt trận và các đoàn thể phát động phong trào ra quân vệ sinh môi trường vào cuối tuần",
]
TASKS = [
    "Tập trung hoàn thành chỉ tiêu thu ngân sách năm",
    "Chăm lo Tết cho gia đình chính sách, hộ nghèo",
    "Hoàn thành tuyển quân năm sau",
    "Đẩy nhanh tiến độ xây dựng khu dân cư kiểu mẫu",
]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _tenths(value: int) -> str:
    return f"{value / 10}".replace(".", ",")


def document(seed: int, size: int = 10_240) -> str:
    """A report of about `size` bytes in UTF-8."""
    rng = random.Random(seed)
    place = rng.choice(PLACES)
    month, year = rng.randint(1, 12), rng.randint(2019, 2025)
    day = rng.randint(1, 28)
    chair, guest = _name(rng), _name(rng)
    parts = [
        f"Xã {place} tổ chức Hội nghị BCH mở rộng đánh giá kết quả tháng {month}",
        f"{day + 1:02d}/{month:02d}/{year} 09:15",
        f"Sáng ngày {day}/{month}/{year}, Đảng ủy xã {place} tổ chức Hội nghị BCH mở rộng.",
        f"Dự hội nghị có đồng chí {guest}, {rng.choice(TITLES)}; toàn thể BCH Đảng bộ xã, "
        f"bí thư các chi bộ và trưởng {rng.randint(6, 15)} thôn.",
        f"Đ/c {chair}, {rng.choice(TITLES)} thông qua báo cáo kết quả tháng {month}.",
    ]
    figures_every = 5  # one paragraph of figures in five: about 2 figures per KB, like the seeds
    while sum(len(p.encode()) for p in parts) < size - 1200:
        if len(parts) % figures_every:
            parts.append(". ".join(rng.sample(NARRATIVE, 3)) + ".")
            continue
        plan = rng.randint(5_000, 20_000)
        done = rng.randint(plan // 5, plan)
        percent = f"{done * 100 / plan:.1f}".replace(".", ",")
        works = "; ".join(
            template.format(
                n=_number(rng.randint(low, high)), k=f"{rng.randint(1, 30) / 10}".replace(".", ",")
            )
            for template, low, high in rng.sample(WORKS, 4)
        )
        parts.append(
            f"Về xây dựng nông thôn mới: {works}. Lãnh đạo {rng.randint(10, 20)}/20 chi bộ "
            f"sinh hoạt chuyên đề. Tổng thu ngân sách ước đạt {_number(done)} triệu đồng/"
            f"{_number(plan)} triệu đồng (đạt {percent}% kế hoạch huyện giao)."
        )
    parts.append("Bên cạnh kết quả đạt được vẫn còn những tồn tại, hạn chế:")
    parts += [f"- {item}" for item in rng.sample(LIMITS, 3)]
    parts.append(f"Đ/c {guest} phát biểu chỉ đạo, đề nghị tập trung các nhiệm vụ trọng tâm:")
    parts += [f"{i}. {task}" for i, task in enumerate(rng.sample(TASKS, 3), start=1)]
    parts.append(f"Tác giả: {_name(rng)} - Nguồn: Ban Biên tập")
    return "\n\n".join(parts)
