from wushe.core.masking import mask_address, mask_id_number, mask_name, mask_phone


def test_id_number_keeps_first_four_and_last_four_with_x():
    assert mask_id_number("11010519491231002X") == "1101**********002X"
    assert mask_id_number("440524198001010013") == "4405**********0013"
    assert mask_id_number("") == ""


def test_phone_is_three_stars_four():
    assert mask_phone("13800138000") == "138****8000"


def test_name_masks_second_character():
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧*娜娜"
    assert mask_name("李") == "李"


def test_address_keeps_only_the_start():
    assert mask_address("九龙坡区杨家坪街道某社区3栋") == "九龙坡区杨家****"
