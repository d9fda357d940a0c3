"""A small gold set for person and place recognition, in the genre of commune and district portal
news about review meetings. Every document here was written for this set: the people, communes,
villages and figures are invented (any likeness to a real person is chance), and no sentence is
taken from the source reports in shared/seeds.

What the gold lists hold:
- `people`: the full name of every individual the text names as a person: officials with or
  without an honorific ("Đ/c", "đồng chí", "ông", "bà", a rank such as "Trung tá"), in captions
  and in bylines. A street or school named after someone is not a person.
- `places`: every administrative place the text names, written "<kind> <Name>" with the kind in
  lower case: tỉnh, huyện, thị xã, thị trấn, xã, phường, thôn, bản, tổ dân phố. A name that
  shares a kind word written once ("các thôn Trung Hòa, Tân Phú") is listed with that kind.
  A kind word with no name ("UBND huyện", "các xã") is not a place.

Most sentences are written the usual ways; a few are the hard cases real pages have (a caption
with no comma after the name, a position written before the name, a list of names after one
honorific, a rank instead of "đồng chí", "thị xã" whose last word is also "xã").
"""

GOLD = [
    {
        "text": (
            "Xã Phúc Lâm tổ chức Hội nghị Ban Chấp hành Đảng bộ mở rộng tháng 10\n"
            "Chiều ngày 28/10/2023, Đảng ủy xã Phúc Lâm tổ chức Hội nghị Ban Chấp hành Đảng bộ "
            "mở rộng đánh giá kết quả thực hiện nhiệm vụ tháng 10, triển khai nhiệm vụ tháng 11 "
            "năm 2023. Dự hội nghị có đồng chí Lê Minh Khang - Ủy viên BTV - Trưởng ban Dân vận "
            "Huyện ủy, trưởng đoàn công tác của Ban Thường vụ Huyện ủy phụ trách xã.\n"
            "Đ/c Trần Văn Thịnh, PBT Thường trực Đảng ủy thông qua báo cáo kết quả tháng 10\n"
            "Trong tháng, xã đã hoàn thành 850 m đường giao thông nông thôn tại thôn Đồng Tâm và "
            "thôn 5, trồng mới 320 cây bóng mát; 15/15 chi bộ sinh hoạt chuyên đề kỷ niệm 60 năm "
            "thành lập huyện Sơn Hòa.\n"
            "Đ/c Lê Minh Khang phát biểu tại hội nghị\n"
            "Tác giả: Nguyễn Thị Hằng"
        ),
        "people": ["Lê Minh Khang", "Trần Văn Thịnh", "Nguyễn Thị Hằng"],
        "places": ["xã Phúc Lâm", "thôn Đồng Tâm", "thôn 5", "huyện Sơn Hòa"],
    },
    {
        "text": (
            "Đảng bộ Thị trấn Vĩnh Phong sơ kết công tác xây dựng Đảng 6 tháng đầu năm 2023\n"
            "Sáng ngày 12/7/2023, Đảng bộ Thị trấn Vĩnh Phong tổ chức hội nghị sơ kết công tác "
            "xây dựng Đảng 6 tháng đầu năm, triển khai nhiệm vụ 6 tháng cuối năm. Tham dự chỉ "
            "đạo hội nghị có đồng chí Phạm Quốc Hưng- Phó Ban Tổ chức Huyện ủy. Đ/c Đặng Thị Thu "
            "Hà- HUV, Bí thư Đảng ủy thị trấn chủ trì hội nghị. Tổng thu ngân sách 6 tháng ước "
            "đạt 4.120 triệu đồng, bằng 38,5% kế hoạch huyện giao. Tổ dân phố 3 và tổ dân phố "
            "Bắc Sơn được biểu dương vì hoàn thành sớm chỉ tiêu thu quỹ. Nhân dịp này, thị trấn "
            "trao Huy hiệu 40 năm tuổi Đảng cho đồng chí Hoàng Văn Lộc, đảng viên chi bộ tổ dân "
            "phố 7."
        ),
        "people": ["Phạm Quốc Hưng", "Đặng Thị Thu Hà", "Hoàng Văn Lộc"],
        "places": ["thị trấn Vĩnh Phong", "tổ dân phố 3", "tổ dân phố Bắc Sơn", "tổ dân phố 7"],
    },
    {
        "text": (
            "Ngày 20/6/2023, đoàn công tác của Ban Thường vụ Huyện ủy do đồng chí Vũ Đức Thắng, "
            "Phó Bí thư Thường trực Huyện ủy làm trưởng đoàn đã làm việc với Đảng ủy xã Tân Lập "
            "và xã Hòa Bình về tiến độ thực hiện Nghị quyết Đại hội Đảng bộ huyện Văn Yên nhiệm "
            "kỳ 2020 - 2025. Cùng dự có đồng chí Ma Thị Lan - Ủy viên BTV - Trưởng ban Tuyên giáo "
            "Huyện ủy. Đồng chí Hà Văn Tuấn, Bí thư Đảng ủy xã Tân Lập báo cáo kết quả thực hiện "
            "các chỉ tiêu. Đến nay xã có 3 sản phẩm OCOP, 9/12 thôn đạt chuẩn văn hóa, trong đó "
            "thôn Nà Khiêm và thôn Khuổi Hẻo được công nhận khu dân cư kiểu mẫu. Kết luận buổi "
            "làm việc, đồng chí Vũ Đức Thắng đề nghị hai xã tập trung hoàn thành các chỉ tiêu còn "
            "đạt thấp."
        ),
        "people": ["Vũ Đức Thắng", "Ma Thị Lan", "Hà Văn Tuấn"],
        "places": ["xã Tân Lập", "xã Hòa Bình", "huyện Văn Yên", "thôn Nà Khiêm", "thôn Khuổi Hẻo"],
    },
    {
        "text": (
            "Xã Sơn Thủy phát động đợt thi đua 60 ngày xây dựng nông thôn mới\n"
            "Sáng 10/4/2024, Ban Chỉ đạo xây dựng nông thôn mới xã Sơn Thủy tổ chức lễ phát động "
            "đợt thi đua cao điểm 60 ngày đêm. Đồng chí Nguyễn Hữu Phước - Chủ tịch UBND xã, "
            "Trưởng Ban Chỉ đạo phát động phong trào. Tiêu biểu trong quý I có các thôn Trung Hòa, "
            "Tân Phú và thôn 2, đã hoàn thành 100% chỉ tiêu chỉnh trang vườn hộ. Các thôn báo cáo "
            "tiến độ bằng văn bản vào thứ Sáu hằng tuần. Ông Lê Văn Cường, trưởng thôn Trung Hòa "
            "cho biết nhân dân đã hiến hơn 1.200 m2 đất để mở rộng đường.\n"
            "Đ/c Nguyễn Hữu Phước phát biểu tại lễ phát động\n"
            "Tin, ảnh: Trần Minh Quân"
        ),
        "people": ["Nguyễn Hữu Phước", "Lê Văn Cường", "Trần Minh Quân"],
        "places": ["xã Sơn Thủy", "thôn Trung Hòa", "thôn Tân Phú", "thôn 2"],
    },
    {
        "text": (
            "Cụm thi đua số 2 huyện Nậm Sơn giao ban công tác dân vận\n"
            "Ngày 15/5/2023, tại Hội trường UBND xã Trung Tiến, Ban Dân vận Huyện ủy tổ chức giao "
            "ban Cụm thi đua số 2 gồm các xã Trung Tiến, Pù Nhi và thị trấn Mường Chiềng. Hội "
            "nghị do đồng chí Lò Văn Dũng, Phó Trưởng ban Dân vận Huyện ủy chủ trì. Các đại biểu "
            "đã thảo luận về việc thực hiện quy chế dân chủ ở cơ sở tại bản Pha Lay và bản Na Cọ.\n"
            "Đ/c Lò Văn Dũng phát biểu tại hội nghị\n"
            "Đồng chí Phạm Thị Yến Chủ tịch Hội Phụ nữ xã Pù Nhi tham luận tại hội nghị\n"
            "Tin và ảnh: Hà Thị Mơ"
        ),
        "people": ["Lò Văn Dũng", "Phạm Thị Yến", "Hà Thị Mơ"],
        "places": [
            "huyện Nậm Sơn",
            "xã Trung Tiến",
            "xã Pù Nhi",
            "thị trấn Mường Chiềng",
            "bản Pha Lay",
            "bản Na Cọ",
        ],
    },
    {
        "text": (
            "Chiều 25/12/2023, UBND huyện Thạch Bình tổ chức hội nghị tổng kết công tác năm 2023, "
            "triển khai nhiệm vụ năm 2024. Dự hội nghị có các đồng chí: Bùi Thanh Sơn, Phó Chủ "
            "tịch UBND tỉnh Nghệ An; Lương Văn Khải, Bí thư Huyện ủy. Đồng chí Cao Thị Ngọc Ánh - "
            "TUV - Chủ tịch UBND huyện trình bày báo cáo tổng kết. Năm 2023 huyện có thêm xã "
            "Thạch Long và xã Thạch Hải đạt chuẩn nông thôn mới nâng cao; thu ngân sách đạt 112% "
            "dự toán. Tuyến đường nối thị xã Hoàng Mai với trung tâm huyện đã hoàn thành giai "
            "đoạn 1. Phát biểu kết luận, đồng chí Lương Văn Khải yêu cầu các xã, thị trấn tập "
            "trung hoàn thành kế hoạch đầu tư công."
        ),
        "people": ["Bùi Thanh Sơn", "Lương Văn Khải", "Cao Thị Ngọc Ánh"],
        "places": [
            "huyện Thạch Bình",
            "tỉnh Nghệ An",
            "xã Thạch Long",
            "xã Thạch Hải",
            "thị xã Hoàng Mai",
        ],
    },
    {
        "text": (
            "Sáng 5/9/2023, UBND xã Cẩm Bình tổ chức hội nghị sơ kết công tác phòng cháy, chữa "
            "cháy và cứu nạn, cứu hộ 9 tháng đầu năm. đ/c Nguyễn Đình Toàn, Phó Chủ tịch UBND xã "
            "chủ trì hội nghị. Trung tá Võ Văn Hùng, Đội trưởng Đội Cảnh sát PCCC khu vực huyện "
            "Cẩm Giang phổ biến các quy định mới về an toàn cháy nổ. Trong 9 tháng, trên địa bàn "
            "xã không xảy ra vụ cháy lớn; 11/11 thôn đã thành lập tổ liên gia an toàn PCCC. UBND "
            "xã tặng giấy khen cho 2 tập thể là thôn Bình Minh, thôn Tân Hòa và 3 cá nhân, trong "
            "đó có bà Trần Thị Lụa ở thôn 6.\n"
            "Tác giả: Đinh Quang Vinh"
        ),
        "people": ["Nguyễn Đình Toàn", "Võ Văn Hùng", "Trần Thị Lụa", "Đinh Quang Vinh"],
        "places": ["xã Cẩm Bình", "huyện Cẩm Giang", "thôn Bình Minh", "thôn Tân Hòa", "thôn 6"],
    },
    {
        "text": (
            "Chi bộ thôn Khe Dẫu sinh hoạt chuyên đề quý III\n"
            "Tối ngày 18/9/2023, Chi bộ thôn Khe Dẫu, Đảng bộ xã Hương Trà tổ chức sinh hoạt "
            "chuyên đề quý III với chủ đề “Xây dựng khu dân cư kiểu mẫu gắn với giữ gìn vệ sinh "
            "môi trường”. Đ/c Phan Thị Minh Nguyệt - Đảng ủy viên, Phó Chủ tịch HĐND xã, phụ "
            "trách chi bộ dự và chỉ đạo. Đồng chí Lê Đình Quý, Bí thư Chi bộ, Trưởng thôn trình "
            "bày chuyên đề. Chi bộ đặt mục tiêu đến cuối năm có 95% hộ đạt danh hiệu gia đình văn "
            "hóa, làm mới 600 m rãnh thoát nước nối sang thôn Trung Lưu.\n"
            "Đ/c Phan Thị Minh Nguyệt phát biểu chỉ đạo"
        ),
        "people": ["Phan Thị Minh Nguyệt", "Lê Đình Quý"],
        "places": ["thôn Khe Dẫu", "xã Hương Trà", "thôn Trung Lưu"],
    },
    {
        "text": (
            "Phường Đông Xuyên sơ kết 3 tháng thực hiện chỉnh trang đô thị\n"
            "Ngày 30/3/2024, UBND phường Đông Xuyên tổ chức hội nghị sơ kết 3 tháng thực hiện đề "
            "án chỉnh trang đô thị. Đồng chí Trịnh Văn Nam, Chủ tịch UBND phường báo cáo kết quả: "
            "đã lát vỉa hè 1,2 km tuyến đường Trần Hưng Đạo, lắp 45 cột đèn chiếu sáng tại tổ dân "
            "phố 4 và tổ dân phố 9. Về dự và chỉ đạo có đồng chí Ngô Thị Bích Liên, Ủy viên BTV "
            "Thành ủy, Trưởng ban Dân vận Thành ủy. Đồng chí Ngô Thị Bích Liên đề nghị phường tiếp "
            "tục vận động nhân dân hiến đất mở rộng ngõ, xóm."
        ),
        "people": ["Trịnh Văn Nam", "Ngô Thị Bích Liên"],
        "places": ["phường Đông Xuyên", "tổ dân phố 4", "tổ dân phố 9"],
    },
    {
        "text": (
            "Xã Quỳnh Lâm tổng kết công tác năm 2023\n"
            "Sáng 28/12/2023, Đảng ủy – HĐND – UBND – UBMTTQ xã Quỳnh Lâm tổ chức hội nghị tổng "
            "kết công tác năm 2023. Dự hội nghị có đồng chí Hồ Sỹ Lực, HUV, Phó Chủ tịch UBND "
            "huyện Quỳnh Sơn. Năm 2023, xã có 14/14 thôn đạt chuẩn văn hóa; các thôn Đồng Bàu và "
            "Phú Lâm được huyện tặng giấy khen. Bí thư Đảng ủy xã Đỗ Mạnh Cường phát biểu kết "
            "luận hội nghị. Dịp này, đồng chí Hồ Sỹ Lực đã trao bằng khen của Chủ tịch UBND tỉnh "
            "cho 3 tập thể và 5 cá nhân.\n"
            "Bài và ảnh: Võ Thị Kim Oanh"
        ),
        "people": ["Hồ Sỹ Lực", "Đỗ Mạnh Cường", "Võ Thị Kim Oanh"],
        "places": ["xã Quỳnh Lâm", "huyện Quỳnh Sơn", "thôn Đồng Bàu", "thôn Phú Lâm"],
    },
]
