"""A synthetic casebook: N valid case records made deterministically from a seed.

The records have the shape and size of the real ones in ``cases/`` (measured on the five
real records: summaries of 230–350 Chinese characters and about four times as many English
ones, 12–33 measures with details of 40–340 characters, 1–20 partners across provinces,
about 1.3 figures per measure, 5–13 timeline events, 0–9 policies, 0–5 voices, 10–18 editor
notes). Chinese text is composed from real words and phrases, never random code points, so
jieba segments it as it segments the real records. About 15 % of the records are marked
``translation.en: pending`` with part of their English missing.

    python -m bench.synth 1000 /tmp/cases --seed 1

Never writes into the repository's ``cases/``.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.vocabulary import Vocabulary, load_vocabulary

ROOT = Path(__file__).resolve().parent.parent
VOCABULARY = ROOT / "vocabulary.yaml"
PENDING_SHARE = 0.15
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")

# --- word pools: (zh, en) pairs -------------------------------------------------------------

# Where the reporting institutions are (eastern and central cities): code, city zh, city en.
REPORTER_CITIES = [
    ("CN-SH", "上海", "Shanghai"), ("CN-TJ", "天津", "Tianjin"), ("CN-BJ", "北京", "Beijing"),
    ("CN-GD", "广州", "Guangzhou"), ("CN-GD", "深圳", "Shenzhen"), ("CN-ZJ", "杭州", "Hangzhou"),
    ("CN-ZJ", "宁波", "Ningbo"), ("CN-JS", "南京", "Nanjing"), ("CN-JS", "苏州", "Suzhou"),
    ("CN-JS", "无锡", "Wuxi"), ("CN-SD", "青岛", "Qingdao"), ("CN-SD", "济南", "Jinan"),
    ("CN-FJ", "福州", "Fuzhou"), ("CN-FJ", "厦门", "Xiamen"), ("CN-HN", "长沙", "Changsha"),
    ("CN-HB", "武汉", "Wuhan"), ("CN-LN", "大连", "Dalian"),
]
SPECIALTIES = [
    ("工业", "Industry", "industry"), ("交通", "Communications", "communications"),
    ("商贸", "Commerce", "commerce"), ("建筑", "Construction", "construction"),
    ("农业", "Agriculture", "agriculture"), ("医药", "Medical", "medical"),
    ("电子信息", "Electronic Information", "electronic-information"), ("机电", "Mechanical and Electrical",
                                                                        "mechanical-electrical"),
    ("轻工", "Light Industry", "light-industry"), ("旅游", "Tourism", "tourism"),
    ("财经", "Finance and Economics", "finance-economics"),
]
REPORTER_KINDS = [("职业技术学院", "Polytechnic", "polytechnic", "higher-vocational-college"),
                  ("职业学院", "Vocational College", "vocational-college", "higher-vocational-college"),
                  ("技师学院", "Technician College", "technician-college", "technician-college")]

# Assisted places: province code, province zh, province en, prefecture zh/en, counties [(zh, en)].
PLACES = [
    ("CN-GZ", "贵州", "Guizhou", "毕节市", "Bijie", [("威宁彝族回族苗族自治县", "Weining"), ("赫章县", "Hezhang")]),
    ("CN-GZ", "贵州", "Guizhou", "黔东南苗族侗族自治州", "Qiandongnan",
     [("雷山县", "Leishan"), ("从江县", "Congjiang")]),
    ("CN-GZ", "贵州", "Guizhou", "铜仁市", "Tongren",
     [("沿河土家族自治县", "Yanhe"), ("印江土家族苗族自治县", "Yinjiang")]),
    ("CN-YN", "云南", "Yunnan", "怒江傈僳族自治州", "Nujiang",
     [("福贡县", "Fugong"), ("兰坪白族普米族自治县", "Lanping")]),
    ("CN-YN", "云南", "Yunnan", "红河哈尼族彝族自治州", "Honghe", [("石屏县", "Shiping"), ("泸西县", "Luxi")]),
    ("CN-YN", "云南", "Yunnan", "昭通市", "Zhaotong", [("镇雄县", "Zhenxiong"), ("彝良县", "Yiliang")]),
    ("CN-YN", "云南", "Yunnan", "大理白族自治州", "Dali", [("剑川县", "Jianchuan"), ("云龙县", "Yunlong")]),
    ("CN-XJ", "新疆", "Xinjiang", "和田地区", "Hotan", [("墨玉县", "Moyu"), ("洛浦县", "Luopu")]),
    ("CN-XJ", "新疆", "Xinjiang", "喀什地区", "Kashgar", [("疏附县", "Shufu"), ("莎车县", "Shache")]),
    ("CN-XJ", "新疆", "Xinjiang", "克孜勒苏柯尔克孜自治州", "Kizilsu", [("阿图什市", "Artux"), ("乌恰县", "Wuqia")]),
    ("CN-XZ", "西藏", "Tibet", "日喀则市", "Shigatse", [("拉孜县", "Lhatse"), ("定日县", "Tingri")]),
    ("CN-XZ", "西藏", "Tibet", "林芝市", "Nyingchi", [("波密县", "Bomi"), ("米林市", "Mainling")]),
    ("CN-XZ", "西藏", "Tibet", "昌都市", "Qamdo", [("类乌齐县", "Riwoqe"), ("江达县", "Jomda")]),
    ("CN-QH", "青海", "Qinghai", "果洛藏族自治州", "Golog", [("玛沁县", "Maqen"), ("班玛县", "Baima")]),
    ("CN-QH", "青海", "Qinghai", "黄南藏族自治州", "Huangnan", [("泽库县", "Zekog"), ("尖扎县", "Jainca")]),
    ("CN-GS", "甘肃", "Gansu", "定西市", "Dingxi", [("渭源县", "Weiyuan"), ("岷县", "Minxian")]),
    ("CN-GS", "甘肃", "Gansu", "临夏回族自治州", "Linxia", [("东乡族自治县", "Dongxiang"), ("积石山县", "Jishishan")]),
    ("CN-GS", "甘肃", "Gansu", "陇南市", "Longnan", [("宕昌县", "Tanchang"), ("礼县", "Lixian")]),
    ("CN-SC", "四川", "Sichuan", "凉山彝族自治州", "Liangshan", [("昭觉县", "Zhaojue"), ("布拖县", "Butuo")]),
    ("CN-SC", "四川", "Sichuan", "甘孜藏族自治州", "Garze", [("理塘县", "Litang"), ("色达县", "Serxu")]),
    ("CN-HN", "湖南", "Hunan", "怀化市", "Huaihua", [("洪江市", "Hongjiang"), ("通道侗族自治县", "Tongdao")]),
    ("CN-HN", "湖南", "Hunan", "湘西土家族苗族自治州", "Xiangxi", [("花垣县", "Huayuan"), ("保靖县", "Baojing")]),
    ("CN-HB", "湖北", "Hubei", "黄石市", "Huangshi", [("阳新县", "Yangxin")]),
    ("CN-HB", "湖北", "Hubei", "恩施土家族苗族自治州", "Enshi", [("咸丰县", "Xianfeng"), ("鹤峰县", "Hefeng")]),
    ("CN-GX", "广西", "Guangxi", "百色市", "Baise", [("乐业县", "Leye"), ("凌云县", "Lingyun")]),
    ("CN-GX", "广西", "Guangxi", "河池市", "Hechi", [("都安瑶族自治县", "Du’an"), ("大化瑶族自治县", "Dahua")]),
    ("CN-HE", "河北", "Hebei", "邢台市", "Xingtai", [("威县", "Wei County"), ("平乡县", "Pingxiang")]),
    ("CN-NX", "宁夏", "Ningxia", "固原市", "Guyuan", [("西吉县", "Xiji"), ("隆德县", "Longde")]),
    ("CN-SN", "陕西", "Shaanxi", "安康市", "Ankang", [("紫阳县", "Ziyang"), ("岚皋县", "Langao")]),
    ("CN-JX", "江西", "Jiangxi", "赣州市", "Ganzhou", [("于都县", "Yudu"), ("兴国县", "Xingguo")]),
]
VILLAGES = [("新民", "Xinmin"), ("光明", "Guangming"), ("团结", "Tuanjie"), ("红星", "Hongxing"), ("清水", "Qingshui"),
            ("石门", "Shimen"), ("龙潭", "Longtan"), ("桃园", "Taoyuan")]
# Assisted institution kinds and how their names are made from a place.
PARTNER_KINDS = [
    ("secondary-vocational-school", "{C}中等职业学校", "{C_en} Secondary Vocational School", 5),
    ("vocational-education-centre", "{C}职业教育中心", "{C_en} Vocational Education Centre", 4),
    ("higher-vocational-college", "{F}职业技术学院", "{F_en} Vocational and Technical College", 2),
    ("primary-or-secondary-school", "{C}民族中学", "{C_en} Ethnic Middle School", 1),
    ("village", "{C}{V}村", "{V_en} Village, {C_en}", 1),
    ("education-authority", "{C}教育局", "{C_en} Education Bureau", 1),
]
MAJORS = [
    ("机械加工技术", "Machining Technology"), ("汽车运用与维修", "Automobile Application and Maintenance"),
    ("计算机应用", "Computer Applications"), ("电子商务", "E-commerce"), ("护理", "Nursing"),
    ("旅游服务与管理", "Tourism Services and Management"), ("学前教育", "Preschool Education"),
    ("现代农艺技术", "Modern Agronomy"), ("畜牧兽医", "Animal Husbandry and Veterinary Medicine"),
    ("中餐烹饪", "Chinese Cooking"), ("会计事务", "Accounting"), ("物流管理", "Logistics Management"),
    ("工业机器人技术", "Industrial Robotics"), ("数控技术", "CNC Technology"), ("焊接技术", "Welding Technology"),
    ("服装设计与工艺", "Garment Design and Technology"), ("民族工艺品制作", "Ethnic Handicrafts"),
    ("茶叶生产与加工", "Tea Production and Processing"), ("酒店管理", "Hotel Management"),
    ("建筑工程施工", "Building Construction"),
]
COURSES = [
    ("车工工艺", "Lathe Work Technology"), ("电工基础", "Basic Electrical Engineering"),
    ("电子商务实务", "E-commerce Practice"), ("中式烹调", "Chinese Cookery"), ("汽车维护", "Vehicle Maintenance"),
    ("茶艺", "Tea Art"), ("民族刺绣", "Ethnic Embroidery"), ("计算机基础", "Computer Basics"),
    ("护理技术", "Nursing Skills"), ("钳工工艺与技能", "Benchwork Technology and Skills"),
]
COMPANIES = [("中国中车", "CRRC"), ("比亚迪", "BYD"), ("海尔集团", "Haier Group"), ("顺丰速运", "SF Express"),
             ("格力电器", "Gree Electric"), ("华为技术有限公司", "Huawei Technologies"),
             ("上汽通用五菱", "SAIC-GM-Wuling"), ("京东物流", "JD Logistics")]
CROPS = [("中药材", "medicinal herbs"), ("茶叶", "tea"), ("核桃", "walnuts"), ("花椒", "Sichuan pepper"),
         ("食用菌", "edible fungi"), ("猕猴桃", "kiwifruit"), ("马铃薯", "potatoes"), ("柑橘", "citrus")]
ACTIVITIES = [("科技支农", "agricultural technical support"), ("义诊", "free medical check-ups"),
              ("技术咨询", "technical advice"), ("政策宣讲", "talks on government policy"),
              ("电商培训", "e-commerce training"), ("家电维修", "appliance repair")]
SURNAMES = [
    ("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"), ("杨", "Yang"), ("赵", "Zhao"),
    ("黄", "Huang"), ("周", "Zhou"), ("吴", "Wu"), ("徐", "Xu"), ("孙", "Sun"), ("胡", "Hu"), ("朱", "Zhu"),
    ("高", "Gao"), ("林", "Lin"), ("何", "He"), ("郭", "Guo"), ("马", "Ma"), ("罗", "Luo"),
]
GIVEN_NAMES = [
    ("建华", "Jianhua"), ("晓明", "Xiaoming"), ("志强", "Zhiqiang"), ("海燕", "Haiyan"), ("晓东", "Xiaodong"),
    ("丽娟", "Lijuan"), ("文军", "Wenjun"), ("国庆", "Guoqing"), ("春梅", "Chunmei"), ("永红", "Yonghong"),
    ("卫东", "Weidong"), ("秀英", "Xiuying"), ("德明", "Deming"), ("红霞", "Hongxia"), ("立新", "Lixin"),
]
# Words of the case title that join reporter and partner; bench.run swaps one of them to time a preview.
TITLE_VERBS = [("结对帮扶", "twins with"), ("对口支援", "gives paired support to"),
               ("东西部协作助力", "works with"), ("精准帮扶", "assists")]

# --- sentence pools: (zh, en) templates over the slots of :meth:`Composer.slots` ----------------

SENTENCES = [
    ("{y}年{m}月，{R}选派{n1}名{major}专业骨干教师赴{P}开展为期{n2}天的送教活动。",
     "In {month} {y}, {R_en} sent {n1} key teachers of {major_en} to {P_en} for a {n2}-day teaching visit."),
    ("双方围绕{major}专业建设签订合作协议，共同制订人才培养方案和课程标准。",
     "The two sides signed a cooperation agreement on building the {major_en} major and drew up its training "
     "plan and course standards together."),
    ("学院先后{n3}次派人赴{C}实地调研，摸清受援学校在师资、实训条件和招生就业方面的实际需求。",
     "The college sent staff to {C_en} {n3} times to learn at first hand what the assisted school needed in "
     "teaching staff, training facilities, admissions and employment."),
    ("{P}{n1}名专业教师到{R}跟岗学习，参加实训教学、课程设计和企业实践。",
     "{n1} teachers from {P_en} spent a placement at {R_en}, taking part in practical teaching, course design and "
     "work in companies."),
    ("学院向受援学校捐赠{n1}台教学设备，价值约{n2}万元，用于改善{major}实训室条件。",
     "The college donated {n1} pieces of teaching equipment worth about {n2w} yuan to improve the {major_en} "
     "training rooms of the assisted school."),
    ("{person}在座谈会上介绍了{major}专业的建设思路，并就校企合作提出具体建议。",
     "At a meeting, {person_en} outlined the plans for the {major_en} major and made concrete suggestions on "
     "cooperation with companies."),
    ("学院把{F}列为教育精准扶贫的重点地区，由党委副书记牵头，组织人事处负责日常联络。",
     "The college made {F_en} a priority area of targeted poverty alleviation through education, with the deputy "
     "Party secretary in charge and the Organisation and Personnel Department handling day-to-day liaison."),
    ("{y}年，学院面向{C}建档立卡贫困家庭学生单列招生计划{n1}人，并落实学费减免和生活补助。",
     "In {y} the college set aside {n1} places for students from registered poor households in {C_en} and "
     "arranged fee waivers and living allowances for them."),
    ("学院与{company}合作开设{major}订单班，学生毕业后可直接到企业就业。",
     "With {company_en}, the college opened an order-based {major_en} class (订单班) whose graduates can go "
     "straight into jobs at the company."),
    ("学院组织{n1}名师生志愿者深入{C}的{n2}个村开展{activity}服务。",
     "The college organised {n1} staff and student volunteers to provide {activity_en} in {n2} villages of "
     "{C_en}."),
    ("学院农业专家指导农户种植{crop}，推广新品种{n2}个，带动{n1}户贫困户增收。",
     "The college's agricultural experts advised farmers on growing {crop_en}, introduced {n2} new varieties and "
     "helped {n1} poor households raise their incomes."),
    ("通过“互联网+教育”方式，学院向{P}共享{course}等{n2}门在线课程资源。",
     "Through \"Internet plus education\" the college shared {n2} online courses, among them {course_en}, with "
     "{P_en}."),
    ("学院举办{n2}期管理干部培训班，累计培训{F}职业院校校长和中层干部{n1}人次。",
     "The college ran {n2} training courses for managers, training principals and middle managers of vocational "
     "schools in {F_en} {n1} times in all."),
    ("受援学校学生在全省职业院校技能大赛中获得{n2}个奖项，其中一等奖{n3}个。",
     "Students of the assisted school won {n2} prizes at the provincial vocational skills competition, {n3} of "
     "them first prizes."),
    ("学院帮助{P}完善教学管理制度，修订{n2}项管理规定，规范实训教学和学生管理。",
     "The college helped {P_en} improve its teaching management, revising {n2} regulations on practical training "
     "and student management."),
    ("两校建立“一对一”师徒结对机制，{n2}对教师结成帮扶对子，定期开展听课评课。",
     "The two schools paired teachers one to one: {n2} pairs of mentors and mentees observe and discuss each "
     "other's lessons regularly."),
    ("学院通过消费帮扶采购{C}的{crop}等农产品，金额约{n2}万元。",
     "Through consumption-based assistance the college bought {crop_en} and other farm produce from {C_en} worth "
     "about {n2w} yuan."),
    ("据来源记载，{y}年{m}月{person}带队赴{F}考察，看望在当地支教的教师。",
     "According to the source, {person_en} led a delegation to {F_en} in {month} {y} and visited the college's "
     "teachers working there."),
    ("{n1}名毕业生通过中高职衔接进入学院继续学习，就业率保持在{pct}%以上。",
     "{n1} graduates went on to study at the college through secondary-to-higher vocational pathways, and the "
     "employment rate stayed above {pct}%."),
    ("学院牵头成立{F}职业教育联盟，吸纳{n2}所中职学校和{n3}家企业参加。",
     "The college led the founding of a vocational education alliance in {F_en} that brought together {n2} "
     "secondary vocational schools and {n3} companies."),
    ("双方共建{major}实训基地，面积约{n1}平方米，可同时容纳{n2}名学生实训。",
     "The two sides built a {major_en} training base of about {n1} square metres where {n2} students can train "
     "at a time."),
    ("学院把帮扶成效纳入二级学院年度考核，每学期召开一次工作推进会。",
     "The college counts the results of the assistance in the annual assessment of its schools and holds a "
     "progress meeting every term."),
    ("针对当地劳动力转移就业需求，学院开展{course}等短期技能培训，累计培训农民工{n1}人次。",
     "To help local workers find jobs elsewhere, the college ran short skills courses such as {course_en}, "
     "training migrant workers {n1} times in all."),
    ("在学院技术人员指导下，{P}的校园网站和数字化教学平台建成并投入使用。",
     "With help from the college's technicians, the website and digital teaching platform of {P_en} were built "
     "and put into use."),
    ("{y}年，{C}籍学生中有{n1}人取得职业资格证书，{n2}人被企业录用。",
     "In {y}, {n1} students from {C_en} gained vocational certificates and {n2} were taken on by companies."),
]
MEASURE_TITLES = [
    ("选派骨干教师赴{C}送教", "Key teachers sent to teach in {C_en}"),
    ("共建{major}专业", "Building the {major_en} major"),
    ("开辟招生绿色通道", "A green channel for admissions"), ("捐赠实训设备", "Training equipment donated"),
    ("开展师生社会实践", "Staff and student social practice"), ("举办管理干部培训班", "Training courses for managers"),
    ("共享网络课程资源", "Online courses shared"), ("开设{major}订单班", "Order-based {major_en} classes"),
    ("推广{crop}种植技术", "Growing {crop_en}"), ("建立结对帮扶工作机制", "A working structure for the twinning"),
    ("组织学生参加技能大赛", "Students at skills competitions"),
    ("开展劳动力转移培训", "Training for workers moving to jobs"),
    ("消费帮扶采购农产品", "Buying farm produce"),
    ("资助建档立卡学生", "Aid to students from registered poor households"),
    ("建设数字化教学平台", "A digital teaching platform"), ("师徒结对帮带青年教师", "Mentoring young teachers"),
]
EVENTS = [
    ("{R}与{P}签订结对帮扶协议", "{R_en} and {P_en} sign a twinning agreement"),
    ("首批{n1}名{C}学生入学", "The first {n1} students from {C_en} enrol"),
    ("{person}带队赴{F}调研", "{person_en} leads a visit to {F_en}"),
    ("{major}实训基地建成投入使用", "The {major_en} training base opens"),
    ("学院获评全国脱贫攻坚先进集体", "The college is named a national advanced collective in poverty alleviation"),
    ("{P}通过省级示范学校验收", "{P_en} passes inspection as a provincial model school"),
    ("{F}职业教育联盟成立", "A vocational education alliance is founded in {F_en}"),
]
NOTES = [
    ("来源未写明该项工作的具体时间，此处按{y}年记录。",
     "The source does not say exactly when this work took place; it is recorded here under {y}."),
    ("来源正文中的“{n1}人”与附表数字不一致，此处照录正文，未作改动。",
     "The figure of {n1} people in the text differs from the appended table; the text is followed here unchanged."),
    ("{P}的名称在来源中有两种写法，此处采用该校官方网站上的名称。",
     "The source spells the name of {P_en} in two ways; the name on the school's own website is used here."),
    ("来源称“{n1}余人”，为下限；此处记为{n1}，并标注约数。",
     "The source says \"more than {n1}\", a lower bound; it is recorded as {n1} and marked as approximate."),
    ("图片说明提到{person}曾赴{C}调研，但正文未提及此事，也未给出日期。",
     "A photo caption says that {person_en} visited {C_en}, but the text does not mention the visit or give its "
     "date."),
    ("来源没有说明“培训人次”是否包含线上培训，数字无法与其他案例直接比较。",
     "The source does not say whether the number of people trained includes online training, so the figure "
     "cannot be compared directly with other cases."),
]
VOICES = [
    ("他说在{R}学到的技术让他找到了稳定的工作，希望把技术带回家乡，帮助更多乡亲。",
     "He said the skills he learned at {R_en} got him a steady job, and that he hopes to take them home and "
     "help more people there."),
    ("她表示，送教老师带来的{major}课程让学生第一次用上了真正的实训设备。",
     "She said the {major_en} courses the visiting teachers brought let students use real training equipment "
     "for the first time."),
    ("他认为，结对帮扶最重要的是留下一支带不走的教师队伍。",
     "He believes the most important result of the twinning is a teaching staff that stays when the visitors "
     "leave."),
]
CHALLENGES = [
    (("跨省招生和异地学生补贴发放受政策限制", "Policy limits on enrolment across provinces and on paying subsidies "
      "to students from elsewhere"),
     ("经多方协调，开办跨省五年一贯制培养", "After coordination among many parties, a cross-provincial five-year "
      "programme was opened")),
    (("受援学校专业教师数量不足、结构老化", "The assisted school has too few subject teachers, and most are "
      "close to retirement"), ("选派骨干教师驻校任教并培训青年教师", "Key teachers are posted to the school and "
                            "train its young teachers")),
    (("实训设备陈旧，难以满足教学需要", "Training equipment is old and does not meet teaching needs"),
     ("捐赠设备并共建实训基地", "Equipment was donated and a training base built jointly")),
]
STEPS = [
    ("争取与{C}开展校县合作，扩大帮扶范围", "Seek school–county cooperation with {C_en} to widen the assistance"),
    ("继续选派骨干教师赴{P}送教", "Keep sending key teachers to {P_en}"),
    ("共建{major}专业群，推动中高职衔接", "Build a {major_en} cluster together and strengthen pathways into higher "
     "vocational education"),
    ("建立帮扶成效跟踪评价机制", "Set up a way of tracking and assessing results"),
]
HONOURS = [("国家示范性高等职业院校", "National model higher vocational college"),
           ("国家优质专科高等职业院校", "National high-quality higher vocational college"),
           ("中国特色高水平高职学校建设单位", "Institution in the Double High-Level Plan"),
           ("全国脱贫攻坚先进集体", "National advanced collective in poverty alleviation"),
           ("全国职业院校就业竞争力示范校", "National model school for graduate employability")]
ROLES = [("{P}教师", "A teacher at {P_en}"), ("{P}校长", "Principal of {P_en}"),
         ("首批来{city}就读的建档立卡学生", "One of the first students from a registered poor household to study "
          "in {city_en}")]
SOURCE_TITLES = [("{R}教育精准扶贫经验交流材料", "{R_en}'s experience report on targeted poverty alleviation through "
                  "education"), ("{R}对口帮扶工作总结", "{R_en}: summary of paired assistance work"),
                 ("职教帮扶结硕果——{R}助力{F}脱贫攻坚纪实", "Vocational education bears fruit: how {R_en} helped "
                  "{F_en} out of poverty")]
POLICIES = [
    ("{prov}教育精准扶贫行动计划（{y}—{y2}年）", "{prov_en} action plan for targeted poverty alleviation through "
     "education ({y}–{y2})", "{prov}教发〔{y}〕{n}号", ("{prov}教育厅", "{prov_en} Department of Education")),
    ("关于推进职业教育东西协作行动计划的实施意见", "Opinion on carrying out the East–West Vocational Education "
     "Cooperation Action Plan", "教职成〔{y}〕{n}号", ("教育部办公厅", "General Office of the Ministry "
                                                                    "of Education")),
    ("{city}市对口支援{F}职业教育工作方案", "{city_en} plan for paired support of vocational education in {F_en}",
     None, ("{city}市教育局", "{city_en} Municipal Education Bureau")),
]


@dataclass
class Composer:
    """Everything one case's texts draw on: its reporter, partners and the seeded random source."""

    rng: random.Random
    reporter: tuple[str, str]
    city: tuple[str, str]
    partners: list[dict[str, Any]]

    def slots(self) -> dict[str, Any]:
        rng = self.rng
        partner = rng.choice(self.partners)
        major, course, company = rng.choice(MAJORS), rng.choice(COURSES), rng.choice(COMPANIES)
        crop, activity = rng.choice(CROPS), rng.choice(ACTIVITIES)
        surname, given = rng.choice(SURNAMES), rng.choice(GIVEN_NAMES)
        y, m, n2 = rng.randint(2014, 2022), rng.randint(1, 12), rng.randint(2, 60)
        return {
            "R": self.reporter[0], "R_en": self.reporter[1], "city": self.city[0], "city_en": self.city[1],
            "P": partner["name"]["zh"], "P_en": partner["name"]["en"],
            "F": partner["_place"]["F"], "F_en": partner["_place"]["F_en"],
            "C": partner["_place"]["C"], "C_en": partner["_place"]["C_en"],
            "prov": partner["_place"]["prov"], "prov_en": partner["_place"]["prov_en"],
            "major": major[0], "major_en": major[1], "course": course[0], "course_en": course[1],
            "company": company[0], "company_en": company[1], "crop": crop[0], "crop_en": crop[1],
            "activity": activity[0], "activity_en": activity[1],
            "person": surname[0] + given[0], "person_en": f"{surname[1]} {given[1]}",
            "y": y, "y2": y + 4, "m": m, "month": MONTHS[m - 1], "n": rng.randint(1, 40),
            "n1": rng.randint(3, 500), "n2": n2, "n2w": f"{n2 * 10000:,}", "n3": rng.randint(1, 9),
            "pct": rng.randint(85, 98),
        }

    def pair(self, template: tuple[str, str]) -> dict[str, str]:
        slots = self.slots()
        return {"zh": template[0].format(**slots), "en": template[1].format(**slots)}

    def prose(self, chars: int, pool: list[tuple[str, str]] = SENTENCES) -> dict[str, str]:
        """Sentences from ``pool`` until the Chinese has at least ``chars`` characters; English alongside."""
        zh: list[str] = []
        en: list[str] = []
        for template in self.rng.sample(pool, len(pool)) * 3:
            if sum(map(len, zh)) >= chars:
                break
            text = self.pair(template)
            zh.append(text["zh"])
            en.append(text["en"])
        return {"zh": "".join(zh), "en": " ".join(en)}


def _length(rng: random.Random, median: float, low: int, high: int) -> int:
    """A text length drawn around ``median`` (log-normal, as the real records' lengths are), clamped."""
    return int(min(high, max(low, rng.lognormvariate(math.log(median), 0.5))))


def _date(rng: random.Random, first: int, last: int, precision: str = "month") -> str:
    year = rng.randint(first, last)
    if precision == "year" or (precision == "any" and rng.random() < 0.4):
        return str(year)
    return f"{year}-{rng.randint(1, 12):02d}"


def _slug(text: str) -> str:
    return "-".join("".join(ch if ch.isascii() and ch.isalnum() else " " for ch in text.lower()).split())


def _partners(rng: random.Random, count: int, relationships: list[str]) -> list[dict[str, Any]]:
    partners: list[dict[str, Any]] = []
    used: set[str] = set()
    kinds = [k for k in PARTNER_KINDS for _ in range(k[3])]
    # a case assists one to three regions, as the real ones do
    regions = rng.sample(PLACES, min(len(PLACES), rng.randint(1, 3) if count > 2 else 1))
    relation = rng.sample(relationships, rng.randint(1, 2))
    while len(partners) < count:
        code, prov, prov_en, pref, pref_en, counties = rng.choice(regions)
        county, county_en = rng.choice(counties)
        kind, zh, en, _ = rng.choice(kinds)
        village = rng.choice(VILLAGES)
        values = {"C": county, "C_en": county_en, "F": pref, "F_en": pref_en, "V": village[0], "V_en": village[1]}
        name = {"zh": zh.format(**values), "en": en.format(**values)}
        if name["zh"] in used:  # now and then draw from one more region, so a large case always fills up
            if rng.random() < 0.3:
                regions = [*regions, rng.choice(PLACES)]
            continue
        used.add(name["zh"])
        region: dict[str, Any] = {"province": code, "prefecture": {"zh": pref, "en": pref_en}}
        if "{C" in zh:
            region["county"] = {"zh": county, "en": county_en}
        partner = {"id": _slug(name["en"]), "name": name, "kind": kind, "region": region,
                   "relationship": relation, "since": _date(rng, 2013, 2019)}
        partner["_place"] = {**values, "prov": prov, "prov_en": prov_en}
        partners.append(partner)
    return partners


def _figure(rng: random.Random, composer: Composer, vocabulary: Vocabulary, indicators: list[str],
            with_note: float = 0.4) -> dict[str, Any]:
    indicator = rng.choice(indicators)
    unit = vocabulary.indicators[indicator].unit
    value: int | float = round(rng.uniform(60, 100), 1) if unit == "percent" else rng.randint(1, 2000)
    figure: dict[str, Any] = {"indicator": indicator, "value": value, "unit": unit}
    if rng.random() < 0.15:
        figure["approx"] = rng.choice(["about", "at-least"])
    if rng.random() < 0.2:
        figure["when"] = _date(rng, 2015, 2022)
    if rng.random() < with_note:
        figure["note"] = composer.pair(rng.choice(NOTES))
    return figure


def _table(rng: random.Random, composer: Composer) -> dict[str, Any]:
    """A student-aid table: funding and head counts per year, subtotal columns (sum_of) and a totals row."""
    first = rng.randint(2014, 2019)
    years = list(range(first, first + rng.randint(2, 3)))
    columns: list[dict[str, Any]] = [{"id": "item", "label": {"zh": "项目", "en": "Type of aid"}, "type": "text"}]
    for year in years:
        columns.append({"id": f"funding-{year}", "label": {"zh": f"{year}年资金", "en": f"{year} funding"},
                        "type": "number", "unit": "cny-10k"})
        columns.append({"id": f"persons-{year}", "label": {"zh": f"{year}年人次", "en": f"{year} person-times"},
                        "type": "integer", "unit": "person-times"})
    columns.append({"id": "funding-subtotal", "label": {"zh": "小计资金", "en": "Subtotal funding"}, "type": "number",
                    "unit": "cny-10k", "sum_of": [f"funding-{y}" for y in years]})
    columns.append({"id": "persons-subtotal", "label": {"zh": "小计人次", "en": "Subtotal person-times"},
                    "type": "integer", "unit": "person-times", "sum_of": [f"persons-{y}" for y in years]})
    items = rng.sample([("国家奖助学金", "National grants and scholarships"), ("勤工助学", "Work-study"),
                        ("校内奖助学金", "College scholarships and grants"), ("困难补助", "Hardship allowances"),
                        ("生源地助学贷款", "Home-area student loans"), ("学费减免", "Fee waivers")], rng.randint(3, 6))
    rows: list[list[Any]] = []
    for zh, en in items:
        funding = [rng.randint(0, 900) / 10 for _ in years]  # tenths of ten thousand CNY, as the sources give them
        persons = [rng.randint(0, 300) for _ in years]
        row: list[Any] = [{"zh": zh, "en": en}]
        for f, p in zip(funding, persons, strict=True):
            row += [f, p]
        row += [round(sum(funding), 1), sum(persons)]
        rows.append(row)
    table: dict[str, Any] = {
        "id": f"student-aid-{years[0]}-{years[-1]}",
        "title": {"zh": f"{years[0]}—{years[-1]}年建档立卡家庭经济困难学生资助情况（单位：万元、人次）",
                  "en": f"Aid to students from registered poor households, {years[0]}–{years[-1]} "
                        "(ten thousand CNY; person-times)"},
        "columns": columns, "rows": rows,
    }
    if rng.random() < 0.5:
        totals: list[Any] = [{"zh": "合计", "en": "Total"}]
        for c in range(1, len(columns)):
            added = sum(row[c] for row in rows)
            totals.append(round(added, 1) if columns[c]["type"] == "number" else added)
        table["totals"] = totals
    table["note"] = composer.pair(("来源表中各行小计均经核对，与各年数之和一致。",
                                   "Every row's subtotal in the source table has been checked against the sum of "
                                   "the years."))
    return table


def make_case(rng: random.Random, vocabulary: Vocabulary, index: int) -> tuple[str, dict[str, Any]]:
    """One valid record and its id."""
    themes, relationships = list(vocabulary.themes), list(vocabulary.relationships)
    indicators = sorted(vocabulary.indicators)
    code, city, city_en = rng.choice(REPORTER_CITIES)
    spec, spec_en, spec_slug = rng.choice(SPECIALTIES)
    suffix, suffix_en, suffix_slug, reporter_kind = rng.choice(REPORTER_KINDS)
    reporter = (f"{city}{spec}{suffix}", f"{city_en} {spec_en} {suffix_en}")
    case_id = f"{_slug(city_en)}-{spec_slug}-{suffix_slug}-{index + 1}"
    partner_count = rng.choice([1, 1, 1, 2, 3, 4, 6, 8, 12, 15, 20])
    partners = _partners(rng, partner_count, relationships)
    composer = Composer(rng, reporter, (city, city_en), partners)
    main = partners[0]
    verb, verb_en = rng.choice(TITLE_VERBS)
    record: dict[str, Any] = {
        "schema": 1,
        "added": f"{rng.randint(2024, 2026)}-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}",
        "title": {"zh": f"{reporter[0]}{verb}{main['name']['zh']}",
                  "en": f"{reporter[1]} {verb_en} {main['name']['en']}"},
        "summary": composer.prose(_length(rng, 270, 220, 360)),
    }
    start = rng.randint(2014, 2020)
    record["reporter"] = {
        "name": {"zh": reporter[0], "en": reporter[1]}, "kind": reporter_kind, "province": code,
        "city": {"zh": f"{city}市", "en": city_en}, "founded": rng.randint(1950, 2005),
        "honours": [{"zh": zh, "en": en} for zh, en in rng.sample(HONOURS, rng.randint(0, 4))],
        "figures": [_figure(rng, composer, vocabulary, ["staff-in-post", "majors-offered", "floor-area",
                                                        "fixed-assets", "library-books"], 0)
                    for _ in range(rng.choice([0, 0, 0, 3, 5]))],
    }
    record["source"] = {"title": composer.pair(rng.choice(SOURCE_TITLES)),
                        "kind": rng.choice(list(vocabulary.source_kinds)),
                        "issued": _date(rng, start + 1, 2023, "any"),
                        "period": {"from": start, "to": start + rng.randint(1, 4)}}
    record["partners"] = [{k: v for k, v in p.items() if not k.startswith("_")} for p in partners]
    measures = []
    for m in range(int(rng.triangular(12, 34, 30))):  # the real records: 12, 15, 29, 30, 33
        measure: dict[str, Any] = {}
        if rng.random() < 0.3:
            measure["id"] = f"measure-{m + 1}"
        measure["theme"] = rng.choice(themes)
        measure["title"] = composer.pair(rng.choice(MEASURE_TITLES))
        measure["detail"] = composer.prose(_length(rng, 75, 40, 340))
        if rng.random() < 0.7:
            measure["when"] = _date(rng, start, start + 4, "any")
        measure["partners"] = [p["id"] for p in rng.sample(partners, min(len(partners), rng.randint(1, 2)))]
        measure["figures"] = [_figure(rng, composer, vocabulary, indicators)
                              for _ in range(rng.choice([0, 0, 1, 1, 1, 2, 2, 3]))]
        measures.append(measure)
    record["measures"] = measures
    record["figures"] = [_figure(rng, composer, vocabulary, indicators) for _ in range(rng.randint(4, 5))]
    record["tables"] = [_table(rng, composer)] if rng.random() < 0.6 else []
    record["timeline"] = sorted((
        {"when": _date(rng, start - 1, start + 4, "any"), "event": composer.pair(rng.choice(EVENTS))}
        for _ in range(rng.randint(5, 13))), key=lambda e: e["when"])
    policies = []
    for _ in range(rng.choice([0, 1, 2, 3, 5, 9])):
        zh, en, number, issuer = rng.choice(POLICIES)
        slots = composer.slots()
        policy: dict[str, Any] = {"title": {"zh": zh.format(**slots), "en": en.format(**slots)}}
        if number:
            policy["number"] = number.format(**slots)
        policy["issuer"] = {"zh": issuer[0].format(**slots), "en": issuer[1].format(**slots)}
        policy["year"] = slots["y"]
        policies.append(policy)
    record["policies"] = policies
    record["challenges"] = [{"problem": {"zh": p[0], "en": p[1]}, "response": {"zh": r[0], "en": r[1]}}
                            for p, r in rng.sample(CHALLENGES, rng.randint(0, 3))]
    record["next_steps"] = [composer.pair(step) for step in rng.sample(STEPS, rng.randint(0, 4))]
    record["recommendations"] = [composer.pair(step) for step in rng.sample(STEPS, rng.choice([0, 0, 0, 2, 3]))]
    record["voices"] = [{"who": composer.pair(("{person}", "{person_en}")), "role": composer.pair(rng.choice(ROLES)),
                         "paraphrase": composer.prose(_length(rng, 50, 25, 130), VOICES)}
                        for _ in range(rng.choice([0, 0, 1, 4, 5]))]
    notes = []
    for _ in range(rng.randint(10, 18)):
        note: dict[str, Any] = {}
        if record["tables"] and rng.random() < 0.1:
            pass  # a note 'about' a table switches off its sum checks; keep them on
        elif rng.random() < 0.3:
            note["about"] = rng.choice(["source", "partners", "figures", "measures"])
        note["note"] = composer.prose(_length(rng, 55, 20, 300), NOTES)
        notes.append(note)
    record["editor_notes"] = notes
    if rng.random() < PENDING_SHARE:
        record["translation"] = {"en": "pending"}
        _drop_english(rng, record)
    else:
        record["translation"] = {"en": rng.choice(["reviewed", "reviewed", "draft"])}
    return case_id, record


def _drop_english(rng: random.Random, value: Any) -> None:
    """Leave out the English of about half the texts, as a record whose translation is under way does."""
    if isinstance(value, dict):
        if set(value) == {"zh", "en"} and rng.random() < 0.5:
            del value["en"]
            return
        for item in value.values():
            _drop_english(rng, item)
    elif isinstance(value, list):
        for item in value:
            _drop_english(rng, item)


class _Dumper(yaml.CSafeDumper if hasattr(yaml, "CSafeDumper") else yaml.SafeDumper):  # type: ignore[misc]
    def ignore_aliases(self, data: Any) -> bool:  # the loader refuses anchors and aliases
        return True


def dump(record: dict[str, Any]) -> str:
    """A record as YAML text, with the header line ``casebook new`` writes."""
    body = yaml.dump(record, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110,
                     default_flow_style=False)
    return "# yaml-language-server: $schema=../case.schema.json\n" + body


def generate(count: int, seed: int = 1, vocabulary: Vocabulary | None = None) -> list[tuple[str, str]]:
    """``count`` records as (case id, YAML text), the same for the same seed."""
    vocabulary = vocabulary or load_vocabulary(VOCABULARY)
    rng = random.Random(seed)
    return [(case_id, dump(record)) for case_id, record in (make_case(rng, vocabulary, i) for i in range(count))]


def write_cases(count: int, directory: Path, seed: int = 1, vocabulary: Vocabulary | None = None) -> list[Path]:
    """Write ``count`` synthetic records into ``directory``; refuses the repository's own ``cases/``."""
    directory = Path(directory)
    if directory.resolve() == (ROOT / "cases").resolve():
        raise ValueError("refusing to write synthetic records into the repository's cases/")
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for case_id, text in generate(count, seed, vocabulary):
        path = directory / f"{case_id}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def retitle(text: str, title_zh: str) -> tuple[str, str]:
    """The record ``text`` with one word of its Chinese title changed, and the new title (for timing a preview)."""
    for verb, _ in TITLE_VERBS:
        if verb in title_zh:
            new_title = title_zh.replace(verb, "协作共建", 1)
            line = f"  zh: {title_zh}\n"
            if text.count(line) >= 1:
                return text.replace(line, f"  zh: {new_title}\n", 1), new_title
    raise ValueError(f"no title word to change in {title_zh!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.synth", description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="how many records")
    parser.add_argument("outdir", type=Path, help="directory to write them into (created if missing)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)
    try:
        paths = write_cases(args.count, args.outdir, args.seed)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {len(paths)} records into {args.outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
