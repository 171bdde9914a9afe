@main struct P2MCheckMain { static func main() {} }
