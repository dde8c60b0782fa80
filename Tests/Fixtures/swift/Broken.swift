struct Broken {
    func f( {
}
